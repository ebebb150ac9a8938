/** The non-blank lines of a text with their 1-based line numbers. */
export function nonBlankLines(text: string): { readonly text: string; readonly line: number }[] {
  const lines = text.split("\n");
  const result: { text: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line.trim() !== "") result.push({ text: line, line: i + 1 });
  }
  return result;
}
