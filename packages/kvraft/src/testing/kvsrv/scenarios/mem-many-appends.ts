import {
  appendRandom,
  chargeHeap,
  describeCharge,
  measureHeap,
  requireHeap,
  warmUp,
} from "./memory.js";
import type { KvsrvScenario } from "./types.js";

const APPENDS = 1000;
const APPEND_BYTES = 1000;
const KEY = "k";
/** Three times the final value (1,000,000 bytes), as in the course. */
const LIMIT = 3_000_000;

/**
 * The course's TestMemManyAppends: one clerk appends 1000 values of 1000 bytes to one key. Each
 * append returns the whole old value, so a server that kept (or copied without sharing) the old
 * values would hold about 500 MB; the limit is three times the final 1 MB value.
 */
export const memManyAppends: KvsrvScenario = {
  name: "MemManyAppends",
  title: "memory use many appends",
  unreliable: false,
  memory: true,
  async run(h, context) {
    const heap = requireHeap(context);
    const values = h.random("values");
    const clerk = h.makeClerk({ record: false });
    await h.run(() => warmUp(h, values));
    const before = await measureHeap(heap);
    await h.run(async () => {
      for (let i = 0; i < APPENDS; i++) {
        const old = await appendRandom(clerk, KEY, values, APPEND_BYTES);
        if (old !== i * APPEND_BYTES) {
          h.fail(`append ${i} returned an old value of ${old} chars, expected ${i * APPEND_BYTES}`);
        }
      }
    });
    const growth = (await measureHeap(heap)) - before;
    h.check(
      chargeHeap(context, growth, LIMIT) < LIMIT,
      `after ${APPENDS} appends of ${APPEND_BYTES} bytes, ${describeCharge(growth, `under ${LIMIT} bytes`)}`,
    );
    const final = await h.run(async () => (await clerk.get(KEY)).length);
    h.check(final === APPENDS * APPEND_BYTES, `the final value has ${final} chars`);
  },
};
