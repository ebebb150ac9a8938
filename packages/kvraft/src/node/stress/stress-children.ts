import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { parseRecord, type StressRecord } from "./stress-record.js";

/** The arguments a child gets: the parent's, without `--jobs`, plus its shard and `--json`. */
export function childArgs(argv: readonly string[], index: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--jobs") i++;
    else if (!arg.startsWith("--jobs=") && arg !== "--json") out.push(arg);
  }
  return [...out, "--json", "--shard", `${index}/${count}`];
}

/**
 * Spreads the runs over `jobs` child processes (this same command, each with a shard of the
 * runs), handing over each record as a child reports it. Processes rather than worker threads:
 * memory scenarios measure the heap of a whole process, which threads would share. Resolves to
 * a description of every child that ended abnormally (none when all went well).
 */
export async function runInChildren(
  entry: { readonly script: string; readonly execArgv: readonly string[] },
  argv: readonly string[],
  jobs: number,
  onRecord: (record: StressRecord) => void,
): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    Array.from({ length: jobs }, (_, index) => {
      const child = spawn(
        process.execPath,
        [...entry.execArgv, entry.script, ...childArgs(argv, index, jobs)],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (line) => {
        const record = parseRecord(line);
        if (record !== undefined) onRecord(record);
        else if (line.trim() !== "") process.stderr.write(`[job ${index}] ${line}\n`);
      });
      return new Promise<void>((resolve) => {
        child.on("error", (error) => {
          problems.push(`job ${index} could not start: ${error.message}`);
          resolve();
        });
        child.on("close", (code, signal) => {
          // 0: all passed, 1: some failed (reported through records); anything else is a crash.
          if (code !== 0 && code !== 1) {
            problems.push(`job ${index} ended with ${signal ?? `exit code ${code}`}`);
          }
          resolve();
        });
      });
    }),
  );
  return problems;
}
