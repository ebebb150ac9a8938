import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** What a server process is started with: a JSON object whose `kind` names it in errors. */
export interface ProcessConfig {
  readonly kind: string;
}

/**
 * The server processes of the kvraft suite: `server-main.ts` bundled into one file (so a process
 * starts in a fraction of a second, as the built package would, instead of compiling sources
 * through tsx), started with plain `node`, and killed however the benchmark ends.
 */

/**
 * Bundles `entry` (default: this suite's `server-main.ts`) into `dir`; returns the file to run.
 */
export async function bundleServer(
  dir: string,
  entry: URL = new URL("./server-main.ts", import.meta.url),
): Promise<string> {
  await mkdir(dir, { recursive: true });
  // The bundle is an ES module: give it a package.json that says so.
  await writeFile(join(dir, "package.json"), '{"type":"module"}');
  const outfile = join(dir, basename(fileURLToPath(entry)).replace(/\.ts$/, ".js"));
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@lab/source"],
    // protobufjs is CommonJS; its require() calls need a real require in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  return outfile;
}

/**
 * Every child started and every temporary directory made, so that an exit of any kind (the end
 * of the suite, an exception, Ctrl-C) kills the children and removes the directories. Children
 * also exit by themselves when their stdin closes, which covers the benchmark being killed -9.
 */
export class ProcessGroup {
  readonly #children = new Set<ChildProcess>();
  readonly #dirs = new Set<string>();
  readonly #onExit = () => this.#killAllNow();
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.#killAllNow();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };

  constructor() {
    process.on("exit", this.#onExit);
    process.on("SIGINT", this.#onSignal);
    process.on("SIGTERM", this.#onSignal);
  }

  /** A directory to remove when the group is disposed (or the process exits). */
  track(dir: string): string {
    this.#dirs.add(dir);
    return dir;
  }

  /**
   * Starts `node file config`; resolves with the address it printed once it serves. Rejects
   * (after killing it) if it exits or reports an error first, or is silent for `timeoutMs`.
   */
  start<C extends ProcessConfig>(
    file: string,
    config: C,
    timeoutMs = 30_000,
  ): Promise<ServerProcess> {
    // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p") profiles the children:
    // node refuses --cpu-prof in NODE_OPTIONS.
    const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
    const child = spawn(process.execPath, [...nodeArgs, file, JSON.stringify(config)], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.#children.add(child);
    child.once("exit", () => this.#children.delete(child));
    child.stdin?.on("error", () => {});
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`${config.kind} server ${why}\n${stderr}`));
      };
      const timer = setTimeout(() => fail(`silent for ${timeoutMs} ms`), timeoutMs);
      child.once("exit", (code, signal) => fail(`exited (${code ?? signal}) before serving`));
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
        let event: { event?: string; address?: string; code?: string; message?: string };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          return;
        }
        if (event.event === "listening" && typeof event.address === "string" && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(new ServerProcess(child, event.address));
        } else if (event.event === "error") {
          fail(`failed to start: ${event.code} ${event.message}`);
        }
      });
    });
  }

  /** Kills every child (SIGKILL), waits for them, and removes the directories. */
  async dispose(): Promise<void> {
    const children = [...this.#children];
    await Promise.all(children.map((child) => stopChild(child)));
    this.#removeDirs();
    process.off("exit", this.#onExit);
    process.off("SIGINT", this.#onSignal);
    process.off("SIGTERM", this.#onSignal);
  }

  #killAllNow(): void {
    for (const child of this.#children) child.kill("SIGKILL");
    this.#children.clear();
    this.#removeDirs();
  }

  #removeDirs(): void {
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    this.#dirs.clear();
  }
}

/** A started server process. */
export class ServerProcess {
  constructor(
    readonly child: ChildProcess,
    /** `127.0.0.1:port`. */
    readonly address: string,
  ) {}

  /** Kills it (SIGKILL) and waits until it is gone. */
  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * `n` distinct free ports on 127.0.0.1 (bound on port 0 together, then released). Another
 * process may take one before a server binds it: callers retry on EADDRINUSE.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
