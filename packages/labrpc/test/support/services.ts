import { codecs } from "@lab/labgob";
import { defineService } from "../../src/index.js";

// Requests and replies are labgob-encoded, as everywhere on the simulated network.
const intCodec = codecs.int;
const stringCodec = codecs.string;

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
