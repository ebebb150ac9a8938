#!/usr/bin/env node
// DESIGN principle 2: protocol packages take randomness from an injected Random. Biome can deny a
// global but not one member of it, so Math.random is caught here. Comments are blanked out before
// matching (a doc comment may name Math.random); string contents are kept, so Math["random"] and
// a use inside a template literal are still caught. benchmarks/test/check-no-math-random.test.ts
// tests findMathRandom.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** `Math.random`, `Math?.random`, `Math["random"]`, `Math?.['random']`, spaces allowed between. */
const PATTERN = /\bMath\s*(\?\.|\.)\s*random\b|\bMath\s*(\?\.)?\s*\[\s*["'`]random["'`]/;

/**
 * `source` with every `//` and `/* *\/` comment replaced by spaces (newlines kept, so line numbers
 * stay). A small scanner: it knows string and template literals (a `//` in a URL string is not a
 * comment) and skips the character after a backslash outside them (which only occurs in regular
 * expression literals, where `\/\/` is no comment either). Regular expressions are otherwise not
 * recognised; a `//` they contain unescaped hides the rest of that line, nothing more.
 */
export function stripComments(source) {
  let out = "";
  let i = 0;
  const n = source.length;
  const blank = (text) => text.replace(/[^\n]/g, " ");
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      let end = source.indexOf("\n", i);
      if (end === -1) end = n;
      out += blank(source.slice(i, end));
      i = end;
    } else if (c === "/" && next === "*") {
      let end = source.indexOf("*/", i + 2);
      end = end === -1 ? n : end + 2;
      out += blank(source.slice(i, end));
      i = end;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < n && source[j] !== c && (c === "`" || source[j] !== "\n")) {
        j += source[j] === "\\" ? 2 : 1;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (c === "\\") {
      out += source.slice(i, i + 2);
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** The 1-based line numbers of `source` that use Math.random outside comments. */
export function findMathRandom(source) {
  const lines = [];
  stripComments(source)
    .split("\n")
    .forEach((line, i) => {
      if (PATTERN.test(line)) lines.push(i + 1);
    });
  return lines;
}

function walk(dir, root, offenders) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, root, offenders);
    else if (/\.[cm]?[jt]sx?$/.test(name)) {
      const source = readFileSync(path, "utf8");
      const lines = source.split("\n");
      for (const n of findMathRandom(source)) {
        offenders.push(`${relative(root, path)}:${n}: ${(lines[n - 1] ?? "").trim()}`);
      }
    }
  }
}

function main() {
  const root = join(import.meta.dirname, "..");
  const protocolPackages = ["labgob", "labrpc", "raft", "kvraft", "shardctrler", "shardkv"];
  const offenders = [];
  for (const pkg of protocolPackages) walk(join(root, "packages", pkg, "src"), root, offenders);
  if (offenders.length > 0) {
    console.error("Math.random in protocol code (inject a Random instead, DESIGN principle 2):");
    for (const line of offenders) console.error(`  ${line}`);
    process.exit(1);
  }
  console.log(`no Math.random in protocol packages (${protocolPackages.join(", ")})`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
