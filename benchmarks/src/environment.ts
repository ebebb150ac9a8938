import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";

function gitCommit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim();
    return dirty === "" ? sha : `${sha}+dirty`;
  } catch {
    return "unknown";
  }
}

/** The header printed above every table: enough to tell two machines or two runs apart. */
export function describeEnvironment(options: { readonly quick: boolean }): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    `date      ${new Date().toISOString()}`,
    `commit    ${gitCommit()}`,
    `node      ${process.version} (${platform()} ${release()})`,
    `cpu       ${cpu} x ${availableParallelism()}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    `memory    ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `mode      ${options.quick ? "quick" : "full"}`,
  ];
  return lines.join("\n");
}
