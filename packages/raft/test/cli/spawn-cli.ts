import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The raft package's directory. */
export const packageDir = fileURLToPath(new URL("../../", import.meta.url));
/** The tiny scenario registry the stress CLI's tests load with --registry. */
export const tinyRegistry = fileURLToPath(new URL("./fixtures/tiny-registry.ts", import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a CLI of this package from its TypeScript sources as a separate process, as
 * `pnpm --filter @lab/raft stress|trace` does (tsx, workspace packages from sources).
 * `onStart` gets the child (to send it signals) and a way to wait for text on stdout; `input`
 * is written to its stdin.
 */
export function spawnCli(
  cli: "stress" | "trace",
  args: readonly string[],
  options: {
    readonly onStart?: (child: ChildProcess, stdoutSoFar: () => string) => void;
    readonly input?: string;
  } = {},
): Promise<CliRun> {
  // Without the package-script variables, relative paths are taken from the child's own cwd.
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  delete env.INIT_CWD;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@lab/source", `src/cli/${cli}.ts`, ...args],
    { cwd: packageDir, env, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? "");
  options.onStart?.(child, () => stdout);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The `FAIL <scenario> seed <S>` pairs of a stress run's output, sorted. */
export function failedRuns(stdout: string): string[] {
  return [...stdout.matchAll(/^FAIL (\S+) seed (\d+): /gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}
