import { CommandLine } from "./command-line.js";
import { runCommand } from "./commands.js";
import { InteractionScriptError } from "./errors.js";
import { InteractionEnv } from "./interaction-env.js";
import { diffLines } from "./line-diff.js";
import { parseScript, renderScript, type ScriptBlock } from "./script.js";

/** A command whose output differs from the script's expectation. */
export interface InteractionMismatch {
  readonly file: string;
  /** 1-based line of the command. */
  readonly line: number;
  readonly command: string;
  readonly expected: readonly string[];
  readonly actual: readonly string[];
}

/** What running a script produced. */
export interface InteractionScriptResult {
  /** The script with every expected output replaced by the actual one (for REWRITE mode). */
  readonly rewritten: string;
  /** Commands whose output differs, in script order. */
  readonly mismatches: readonly InteractionMismatch[];
  /** Number of commands run. */
  readonly commands: number;
}

/**
 * Runs an interaction script (see the package README for the language) against fresh
 * {@link InteractionEnv} state and compares every command's output with the expected one.
 * Pure: reading and writing files is the caller's business. Malformed commands and protocol
 * invariant violations throw, naming `file` and the line.
 */
export function runInteractionScript(
  text: string,
  options: { readonly file?: string } = {},
): InteractionScriptResult {
  const file = options.file ?? "<script>";
  const script = parseScript(text, file);
  const env = new InteractionEnv();
  const outputs: string[][] = [];
  const mismatches: InteractionMismatch[] = [];
  for (const block of script.blocks) {
    const actual = runBlock(env, block, file);
    outputs.push(actual);
    if (actual.join("\n") !== block.expected.join("\n")) {
      mismatches.push({
        file,
        line: block.line,
        command: block.command,
        expected: block.expected,
        actual,
      });
    }
  }
  return {
    rewritten: renderScript(script, outputs),
    mismatches,
    commands: script.blocks.length,
  };
}

function runBlock(env: InteractionEnv, block: ScriptBlock, file: string): string[] {
  let lines: string[];
  try {
    lines = runCommand(env, new CommandLine(block.command));
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InteractionScriptError(`${file}:${block.line}: ${block.command}: ${reason}`, {
      cause: error,
    });
  }
  if (lines.length === 0 || lines.some((l) => l.trim() === "")) {
    // A blank line would end the output block in the file: the driver must never print one.
    throw new InteractionScriptError(`${file}:${block.line}: output with a blank line`);
  }
  return lines;
}

/** A readable report of a mismatch: where, which command, and a line diff. */
export function formatMismatch(m: InteractionMismatch): string {
  return [
    `${m.file}:${m.line}: output of "${m.command}" differs (- expected, + actual):`,
    ...diffLines(m.expected, m.actual),
  ].join("\n");
}
