/** Hand-built protobuf bytes for decoder tests. */

/** A varint of a non-negative integer below 2^53 (no canonical checks: tests build bad ones too). */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A field tag. */
export function tag(id: number, wireType: number): number[] {
  return varint(id * 8 + wireType);
}

/** A length-delimited payload: its length, then the bytes. */
export function ld(bytes: number[]): number[] {
  return [...varint(bytes.length), ...bytes];
}

/** A top-level message encoding: the body, length-prefixed as `message().encode` writes it. */
export function top(...parts: number[][]): Uint8Array {
  return Uint8Array.from(ld(parts.flat()));
}

/** Raw bytes without a prefix. */
export function raw(...parts: number[][]): Uint8Array {
  return Uint8Array.from(parts.flat());
}
