import type { Codec } from "@lab/labgob";
import { defineService } from "../../src/index.js";

// Test codecs. Kept in one place so the services below read like the course's test services.
const text = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true });

export const intCodec: Codec<number> = {
  name: "int",
  encode: (v) => {
    if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer: ${v}`);
    return text.encode(String(v));
  },
  decode: (b) => {
    const s = utf8.decode(b);
    if (!/^-?\d+$/.test(s)) throw new TypeError(`not an integer encoding: ${s}`);
    return Number(s);
  },
};

export const stringCodec: Codec<string> = {
  name: "string",
  encode: (v) => {
    if (typeof v !== "string") throw new TypeError(`not a string: ${typeof v}`);
    return text.encode(v);
  },
  decode: (b) => utf8.decode(b),
};

/** The course's JunkServer, in our terms: handlers over ints and strings. */
export const Junk = defineService("JunkServer", {
  Handler1: { request: stringCodec, reply: intCodec },
  Handler2: { request: intCodec, reply: stringCodec },
  Handler4: { request: stringCodec, reply: stringCodec },
  /** Replies with the length of its argument: a big request, a small reply. */
  Length: { request: stringCodec, reply: intCodec },
  /** Replies with a string of the requested length: a small request, a big reply. */
  Repeat: { request: intCodec, reply: stringCodec },
  /** Sleeps on the simulator for `ms`, then replies with `ms`. */
  Sleep: { request: intCodec, reply: intCodec },
});

/** The same method name, with the request codec of another type: a client/server mismatch. */
export const JunkWithWrongTypes = defineService("JunkServer", {
  Handler2: { request: stringCodec, reply: stringCodec },
});

/** A service no server registers. */
export const Missing = defineService("Missing", {
  Nothing: { request: intCodec, reply: intCodec },
});
