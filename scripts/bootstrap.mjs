#!/usr/bin/env node
// Entry point behind `npm run demo` and `npm test`: works on a machine that has only Node 20 and
// npm. It installs the pinned pnpm into .tools/ (corepack is not used: its signature check fails
// on this registry), installs the workspace, then runs the requested job with pnpm on PATH
// (turbo needs the pnpm binary itself, not an npx shim).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, "");
const toolsDir = join(root, ".tools");
const toolsBin = join(toolsDir, "node_modules", ".bin");

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
};
env.PATH = [toolsBin, join(root, "node_modules", ".bin"), env.PATH].join(delimiter);

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit", ...opts });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function pnpmOnPath() {
  try {
    return execFileSync("pnpm", ["--version"], { env, encoding: "utf8" }).trim() === pnpmVersion;
  } catch {
    return false;
  }
}

function ensurePnpm() {
  if (pnpmOnPath()) return;
  console.log(`bootstrap: installing pnpm ${pnpmVersion} into .tools/`);
  run("npm", [
    "install",
    "--prefix",
    toolsDir,
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    `pnpm@${pnpmVersion}`,
  ]);
}

function installWorkspace() {
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  run("pnpm", ["install", ...frozen, "--reporter=append-only"]);
}

// The porcupine report is tested in a real browser (Debian's chromium driven by playwright-core,
// whose own browser download cannot work on this network). Install it when missing.
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = isRoot ? [] : ["sudo", "-n"];
  console.log(`bootstrap: ${path} is missing; installing Debian's chromium`);
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, "apt-get", ...args];
    const result = spawnSync(cmd, rest, {
      cwd: root,
      env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return result.status === 0;
  };
  if (
    !(
      apt(["install", "-y", "-q", "chromium"]) ||
      (apt(["update", "-q"]) && apt(["install", "-y", "-q", "chromium"]))
    )
  ) {
    console.error(
      "bootstrap: could not install chromium; install it (apt-get install chromium) or set CHROMIUM_PATH",
    );
    process.exit(1);
  }
}

const jobs = {
  // The most complete demo until the reference app exists.
  demo: () =>
    run("pnpm", ["--silent", "--filter", "@lab/sim-demo", "start", ...process.argv.slice(3)]),
  // Every test: lint, types, unit and scenario tests, packaging checks.
  test: () => {
    ensureChromium();
    run("pnpm", ["exec", "biome", "ci", "--colors=off", "."]);
    run("node", ["scripts/check-no-math-random.mjs"]);
    run("pnpm", [
      "exec",
      "turbo",
      "run",
      "typecheck",
      "test",
      "check-exports",
      "--output-logs=errors-only",
    ]);
  },
};

const job = process.argv[2] ?? "test";
if (!(job in jobs)) {
  console.error(
    `bootstrap: unknown job "${job}" (expected one of ${Object.keys(jobs).join(", ")})`,
  );
  process.exit(3);
}
ensurePnpm();
installWorkspace();
jobs[job]();
