/** Anything that fails a scenario when a condition does not hold (every harness here). */
export interface Checker {
  check(condition: boolean, reason: string): void;
}

/** The `j`th value client `client` appends: unique, and no element is a substring of another. */
export function element(client: number, j: number): string {
  return `x ${client} ${j} y`;
}

/** A short, printable view of a possibly huge value, for failure messages. */
export function preview(value: string, max = 80): string {
  return value.length <= max
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, max))}... (${value.length} chars)`;
}

/**
 * Checks that `value` holds client `client`'s elements `0..count-1` exactly once each and in
 * order (other clients' elements may sit between them).
 */
export function checkAppendsInOrder(
  h: Checker,
  key: string,
  value: string,
  client: number,
  count: number,
): void {
  let previous = -1;
  for (let j = 0; j < count; j++) {
    const e = element(client, j);
    const at = value.indexOf(e);
    h.check(at >= 0, `key ${key}: client ${client}'s append ${preview(e)} is missing`);
    h.check(
      value.indexOf(e, at + 1) < 0,
      `key ${key}: client ${client}'s append ${preview(e)} is there more than once`,
    );
    h.check(
      at > previous,
      `key ${key}: client ${client}'s append ${preview(e)} comes before its append number ${j - 1}`,
    );
    previous = at;
  }
  h.check(
    !value.includes(element(client, count)),
    `key ${key}: holds client ${client}'s append number ${count}, which it never made`,
  );
}
