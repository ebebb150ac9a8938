import { InteractionScriptError } from "./errors.js";

/** The line that separates a command from its expected output. */
export const SEPARATOR = "----";

/**
 * One command of a script file and what it is expected to print:
 *
 * ```text
 * # comments and blank lines before the command are kept as they are
 * propose 0 x
 * ----
 * proposed 1/1
 * ```
 *
 * The output runs until the next blank line (outputs never contain one) or the end of file.
 */
export interface ScriptBlock {
  /** Comment and blank lines before the command, verbatim. */
  readonly preamble: readonly string[];
  readonly command: string;
  /** 1-based line number of the command in the file. */
  readonly line: number;
  readonly expected: readonly string[];
}

/** A parsed script: its blocks and the comment lines after the last one. */
export interface Script {
  readonly blocks: readonly ScriptBlock[];
  readonly trailer: readonly string[];
}

function isPreambleLine(line: string): boolean {
  return line.trim() === "" || line.trimStart().startsWith("#");
}

/** Parses a script file. `file` names it in errors. */
export function parseScript(text: string, file = "<script>"): Script {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  const blocks: ScriptBlock[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (isPreambleLine(line)) {
      preamble.push(line);
      i++;
      continue;
    }
    const commandLine = i + 1;
    if (lines[i + 1] !== SEPARATOR) {
      throw new InteractionScriptError(
        `${file}:${commandLine}: expected "${SEPARATOR}" after the command "${line}"`,
      );
    }
    i += 2;
    const expected: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== "")
      expected.push(lines[i++] as string);
    blocks.push({ preamble, command: line, line: commandLine, expected });
    preamble = [];
  }
  return { blocks, trailer: preamble };
}

/** Writes a script back, with `outputs[i]` as the output of block i. */
export function renderScript(script: Script, outputs: readonly (readonly string[])[]): string {
  const out: string[] = [];
  script.blocks.forEach((block, i) => {
    out.push(...block.preamble, block.command, SEPARATOR, ...(outputs[i] ?? block.expected));
    // A blank line ends the output; the next preamble's own blank lines follow it.
    const next = script.blocks[i + 1]?.preamble ?? script.trailer;
    if (next[0]?.trim() !== "") out.push("");
  });
  out.push(...script.trailer);
  while (out.at(-1) === "") out.pop();
  return `${out.join("\n")}\n`;
}
