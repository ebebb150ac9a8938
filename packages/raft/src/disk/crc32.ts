import * as zlib from "node:zlib";

/** CRC-32 (IEEE 802.3, as zlib and gzip compute it) of `data`, continuing from `value`. */
export type Crc32 = (data: Uint8Array, value?: number) => number;

let table: Uint32Array | undefined;

/** Table-driven CRC-32 for Node versions before 20.15, which lack `zlib.crc32`. */
function crc32Portable(data: Uint8Array, value = 0): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = (table[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data` continuing from `value`: zlib's native one when Node has it. */
export const crc32: Crc32 = native !== undefined ? (d, v) => native(d, v) : crc32Portable;

/** The portable implementation, exported for the test that checks it against zlib's. */
export const crc32ForTest: Crc32 = crc32Portable;
