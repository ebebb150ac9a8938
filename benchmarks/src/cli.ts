/**
 * `pnpm bench [SUITE...] [--quick] [--json FILE]`: runs benchmark suites (every module under
 * src/suites/, or the ones named), prints an environment header and one table row per figure
 * beside its in-run baseline, and with `--json` writes one JSON object per row.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describeEnvironment } from "./environment.js";
import type { BenchRow, BenchSuite } from "./suite.js";
import { formatJsonLine, formatTable } from "./table.js";

interface Args {
  readonly suites: string[];
  readonly quick: boolean;
  readonly json: string | undefined;
}

function usage(message: string): never {
  console.error(`bench: ${message}`);
  console.error("usage: pnpm bench [SUITE...] [--quick] [--json FILE]");
  process.exit(3);
}

function parseArgs(argv: readonly string[]): Args {
  const suites: string[] = [];
  let quick = false;
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") continue;
    if (arg === "--quick") quick = true;
    else if (arg === "--json") {
      json = argv[++i];
      if (json === undefined) usage("--json needs a file name");
    } else if (arg.startsWith("--json=")) json = arg.slice("--json=".length);
    else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else suites.push(arg);
  }
  return { suites, quick, json };
}

async function loadSuites(): Promise<Map<string, BenchSuite>> {
  const dir = join(import.meta.dirname, "suites");
  const suites = new Map<string, BenchSuite>();
  for (const file of readdirSync(dir).sort()) {
    if (!/^[a-z][\w-]*\.ts$/.test(file)) continue;
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: BenchSuite };
    const suite = mod.default;
    if (suite === undefined || typeof suite.run !== "function") {
      throw new Error(`benchmarks/src/suites/${file} has no default BenchSuite export`);
    }
    if (suite.name !== basename(file, ".ts")) {
      throw new Error(`suite in ${file} is named "${suite.name}": name it after its file`);
    }
    suites.set(suite.name, suite);
  }
  return suites;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const available = await loadSuites();
  const names = args.suites.length > 0 ? args.suites : [...available.keys()];
  for (const name of names) {
    if (!available.has(name))
      usage(`unknown suite "${name}" (available: ${[...available.keys()].join(", ")})`);
  }
  console.log(describeEnvironment({ quick: args.quick }));
  const rows: BenchRow[] = [];
  for (const name of names) {
    const suite = available.get(name) as BenchSuite;
    console.error(`bench: running ${name}${args.quick ? " (quick)" : ""}: ${suite.description}`);
    const started = performance.now();
    const suiteRows = await suite.run({
      quick: args.quick,
      log: (message) => console.error(`  [${name}] ${message}`),
    });
    console.error(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    rows.push(...suiteRows);
  }
  console.log(formatTable(rows));
  if (args.json !== undefined) {
    const lines = rows.map(formatJsonLine);
    writeFileSync(args.json, lines.length > 0 ? `${lines.join("\n")}\n` : "");
    console.error(`bench: wrote ${rows.length} rows to ${args.json}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
