#!/usr/bin/env node
// DESIGN principle 2: protocol packages take randomness from an injected Random. Biome can deny a
// global but not one member of it, so Math.random is caught here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const protocolPackages = ["labgob", "labrpc", "raft", "kvraft", "shardctrler", "shardkv"];
const offenders = [];

function walk(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.[cm]?[jt]s$/.test(name)) {
      readFileSync(path, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/Math\s*\.\s*random|Math\s*\[\s*["']random/.test(line)) {
            offenders.push(`${relative(root, path)}:${i + 1}: ${line.trim()}`);
          }
        });
    }
  }
}

for (const pkg of protocolPackages) walk(join(root, "packages", pkg, "src"));
if (offenders.length > 0) {
  console.error("Math.random in protocol code (inject a Random instead, DESIGN principle 2):");
  for (const line of offenders) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`no Math.random in protocol packages (${protocolPackages.join(", ")})`);
