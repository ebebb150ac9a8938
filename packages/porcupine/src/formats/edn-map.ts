/** A value of the small EDN subset the kv history format uses. */
export type EdnValue = string | number | null | boolean | { readonly keyword: string };

/**
 * Parses one EDN map of the form `{:k v, :k v}` with keyword keys and string, integer, keyword,
 * boolean or nil values (commas are whitespace in EDN). Returns an error message instead of
 * throwing, so the caller can attach file and line.
 */
export function parseEdnMap(text: string): Map<string, EdnValue> | string {
  let i = 0;
  const skip = (): void => {
    while (
      i < text.length &&
      (text[i] === " " || text[i] === "," || text[i] === "\t" || text[i] === "\r")
    )
      i++;
  };
  const symbolEnd = (): number => {
    let j = i;
    while (j < text.length && !/[\s,{}[\]"]/.test(text[j]!)) j++;
    return j;
  };
  skip();
  if (text[i] !== "{") return "expected an EDN map starting with '{'";
  i++;
  const map = new Map<string, EdnValue>();
  for (;;) {
    skip();
    if (i >= text.length) return "unterminated map: missing '}'";
    if (text[i] === "}") {
      i++;
      skip();
      return i === text.length
        ? map
        : `unexpected text after the map: ${JSON.stringify(text.slice(i, i + 20))}`;
    }
    if (text[i] !== ":") return `expected a keyword key at column ${i + 1}`;
    const keyEnd = symbolEnd();
    const key = text.slice(i + 1, keyEnd);
    if (key === "") return `empty keyword at column ${i + 1}`;
    i = keyEnd;
    skip();
    if (i >= text.length || text[i] === "}") return `key :${key} has no value`;
    let value: EdnValue;
    if (text[i] === '"') {
      let out = "";
      i++;
      for (;;) {
        if (i >= text.length) return `unterminated string in :${key}`;
        const ch = text[i]!;
        if (ch === '"') break;
        if (ch === "\\") {
          const esc = text[i + 1];
          const mapped =
            esc === undefined
              ? undefined
              : ({ n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" } as Record<string, string>)[
                  esc
                ];
          if (mapped === undefined) return `unsupported escape in :${key} at column ${i + 1}`;
          out += mapped;
          i += 2;
        } else {
          out += ch;
          i++;
        }
      }
      i++;
      value = out;
    } else {
      const end = symbolEnd();
      const token = text.slice(i, end);
      if (token === "") return `unexpected ${JSON.stringify(text[i])} at column ${i + 1}`;
      i = end;
      if (token === "nil") value = null;
      else if (token === "true" || token === "false") value = token === "true";
      else if (/^-?\d+$/.test(token)) value = Number(token);
      else if (/^:[^:]/.test(token)) value = { keyword: token.slice(1) };
      else return `unsupported value ${JSON.stringify(token)} for :${key}`;
    }
    if (map.has(key)) return `key :${key} appears twice`;
    map.set(key, value);
  }
}
