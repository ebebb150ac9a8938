#!/usr/bin/env node
// The `porcupine` command. A committed launcher rather than dist/cli.js itself, so that the bin
// exists before the first build (pnpm links bins at install time and warns about a missing one);
// the command itself is built into dist/cli.js from src/cli.ts.
import "../dist/cli.js";
