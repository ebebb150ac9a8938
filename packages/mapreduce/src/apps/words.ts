/**
 * Maximal runs of letters, the course's `strings.FieldsFunc(contents, !unicode.IsLetter)`:
 * `\p{L}` is exactly Go's `unicode.IsLetter` (categories Lu, Ll, Lt, Lm, Lo).
 */
export function words(contents: string): string[] {
  return contents.match(/\p{L}+/gu) ?? [];
}
