import type { RaftScenario } from "../types.js";
import { randomString } from "./random-commands.js";

/** Large commands replicated after the first one, and their size in characters. */
const bigCommands = 10;
const bigCommandChars = 5000;
/** Allowance on top of "every byte of every command to every peer once": headers, heartbeats. */
const overheadBytes = 50_000;

/**
 * Each entry should cross the network to each peer about once: ten 5000-character commands on
 * three peers may cost at most 3 × 50,000 + 50,000 = 200,000 bytes in total, requests and
 * replies counted.
 */
export const rpcByteCount: RaftScenario = {
  name: "3B/rpc-byte-count",
  part: "3B",
  title: "RPC byte count",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.one(99, n, false);
    const bytes0 = cluster.bytesTotal();

    let sent = 0;
    for (let index = 2; index < bigCommands + 2; index++) {
      const command = randomString(cluster.random, bigCommandChars);
      const got = await cluster.one(command, n, false);
      if (got !== index) cluster.fail(`got index ${got} but expected ${index}`);
      sent += command.length;
    }

    const used = cluster.bytesTotal() - bytes0;
    const expected = n * sent;
    cluster.sim.trace("scenario.measure", { what: "bytes", value: used, payload: expected });
    if (used > expected + overheadBytes) {
      cluster.fail(`too many RPC bytes; got ${used}, expected at most ${expected + overheadBytes}`);
    }
  },
};
