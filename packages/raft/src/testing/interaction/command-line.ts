import { InteractionScriptError } from "./errors.js";

/**
 * One parsed script line: `name positional... key=value...`. Tokens are separated by spaces;
 * a token with `=` is an option, any other token is positional (in order).
 */
export class CommandLine {
  readonly name: string;
  readonly positional: readonly string[];
  readonly #options: Map<string, string>;
  readonly #used = new Set<string>();

  constructor(readonly text: string) {
    const tokens = text.trim().split(/\s+/);
    this.name = tokens[0] ?? "";
    const positional: string[] = [];
    this.#options = new Map();
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf("=");
      if (eq <= 0) {
        positional.push(token);
        continue;
      }
      const key = token.slice(0, eq);
      if (this.#options.has(key)) throw new InteractionScriptError(`option ${key} given twice`);
      this.#options.set(key, token.slice(eq + 1));
    }
    this.positional = positional;
  }

  /** The value of option `key`, if given. */
  option(key: string): string | undefined {
    this.#used.add(key);
    return this.#options.get(key);
  }

  /** Option `key` as a non-negative integer, or `fallback`. */
  intOption(key: string, fallback: number): number {
    const raw = this.option(key);
    return raw === undefined ? fallback : parseCount(raw, key);
  }

  /** Throws on options no handler asked for: a misspelt option must not pass silently. */
  checkAllOptionsUsed(): void {
    for (const key of this.#options.keys()) {
      if (!this.#used.has(key)) throw new InteractionScriptError(`unknown option ${key}=`);
    }
  }
}

/** Parses a non-negative integer argument, naming it in the error. */
export function parseCount(raw: string, what: string): number {
  if (!/^\d+$/.test(raw)) throw new InteractionScriptError(`${what} must be a number, got ${raw}`);
  return Number(raw);
}
