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

// Debian packages some tests need: the porcupine report is tested in a real browser (Debian's
// chromium driven by playwright-core, whose own browser download cannot work on this network) and
// the TLS tests make a certificate with openssl. Install what is missing.
function aptInstall(what, packages) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = isRoot ? [] : ["sudo", "-n"];
  console.log(`bootstrap: ${what} is missing; installing Debian's ${packages.join(", ")}`);
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, "apt-get", ...args];
    const result = spawnSync(cmd, rest, {
      cwd: root,
      env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return result.status === 0;
  };
  const install = () => apt(["install", "-y", "-q", ...packages]);
  if (!(install() || (apt(["update", "-q"]) && install()))) {
    console.error(
      `bootstrap: could not install ${packages.join(", ")} (apt-get install ${packages.join(" ")})`,
    );
    process.exit(1);
  }
}

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { env, stdio: "ignore" }).status === 0;
}

function ensureTestPackages() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const missing = [];
  if (!existsSync(chromium)) {
    if (process.env.CHROMIUM_PATH) {
      console.error(`bootstrap: CHROMIUM_PATH=${chromium} does not exist`);
      process.exit(1);
    }
    missing.push("chromium");
  }
  if (!onPath("openssl")) missing.push("openssl");
  if (missing.length > 0) aptInstall(missing.join(" and "), missing);
}

const jobs = {
  // The most complete demo until the reference app exists.
  demo: () =>
    run("pnpm", ["--silent", "--filter", "@lab/sim-demo", "start", ...process.argv.slice(3)]),
  // Every test: lint, types, unit and scenario tests, packaging checks.
  test: () => {
    ensureTestPackages();
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
