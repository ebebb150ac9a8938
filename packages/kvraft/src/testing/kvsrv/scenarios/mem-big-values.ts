import {
  appendRandom,
  chargeHeap,
  describeCharge,
  getLength,
  MiB,
  measureHeap,
  mib,
  putRandom,
  requireHeap,
  warmUp,
} from "./memory.js";
import type { KvsrvScenario } from "./types.js";

const BIG = 10 * MiB;
const KEY = "k";

/**
 * The course's TestMemGet2, on a lossy network: a 10 MiB value is put, read twice, then replaced
 * by "0". Afterwards memory must be back within 10 MiB of where it was: neither the server nor
 * the network may keep a copy of the old value or of a reply that carried it.
 */
export const memGet: KvsrvScenario = {
  name: "MemGet",
  title: "memory use get",
  unreliable: true,
  memory: true,
  async run(h, context) {
    const heap = requireHeap(context);
    const values = h.random("values");
    const writer = h.makeClerk({ record: false });
    const reader = h.makeClerk({ record: false });
    await h.run(() => warmUp(h, values));
    const before = await measureHeap(heap);
    await h.run(async () => {
      await putRandom(writer, KEY, values, BIG);
      h.check((await getLength(reader, KEY)) === BIG, "get did not return the 10 MiB value");
      h.check((await getLength(reader, KEY)) === BIG, "second get did not return the 10 MiB value");
      await writer.put(KEY, "0");
    });
    const growth = (await measureHeap(heap)) - before;
    h.check(
      chargeHeap(context, growth, BIG) < BIG,
      `after the 10 MiB value was replaced, ${describeCharge(growth, `under ${mib(BIG)}`)}`,
    );
    h.check(
      (await h.run(() => reader.get(KEY))) === "0",
      'get after the overwrite did not return "0"',
    );
  },
};

/**
 * The course's TestMemPut2: a 10 MiB value is put, then another clerk puts "" over it. Memory must
 * be back within 10 MiB: the server keeps no copy of a Put's value for duplicate detection.
 */
export const memPut: KvsrvScenario = {
  name: "MemPut",
  title: "memory use put",
  unreliable: false,
  memory: true,
  async run(h, context) {
    const heap = requireHeap(context);
    const values = h.random("values");
    const first = h.makeClerk({ record: false });
    const second = h.makeClerk({ record: false });
    await h.run(() => warmUp(h, values));
    const before = await measureHeap(heap);
    await h.run(async () => {
      await putRandom(first, KEY, values, BIG);
      await second.put(KEY, "");
    });
    const growth = (await measureHeap(heap)) - before;
    h.check(
      chargeHeap(context, growth, BIG) < BIG,
      `after the 10 MiB value was replaced, ${describeCharge(growth, `under ${mib(BIG)}`)}`,
    );
    h.check((await h.run(() => first.get(KEY))) === "", 'get after put("") did not return ""');
  },
};

/**
 * The course's TestMemAppend2: two clerks each append 10 MiB to one key. The value is then 20 MiB
 * and the second append's reply (the first 10 MiB) is held for its clerk; memory may grow by at
 * most 30 MiB, so nothing may be held twice.
 */
export const memAppend: KvsrvScenario = {
  name: "MemAppend",
  title: "memory use append",
  unreliable: false,
  memory: true,
  async run(h, context) {
    const heap = requireHeap(context);
    const values = h.random("values");
    const first = h.makeClerk({ record: false });
    const second = h.makeClerk({ record: false });
    await h.run(() => warmUp(h, values));
    const before = await measureHeap(heap);
    await h.run(async () => {
      const old1 = await appendRandom(first, KEY, values, BIG);
      const old2 = await appendRandom(second, KEY, values, BIG);
      h.check(old1 === 0, `first append returned an old value of ${old1} chars, expected 0`);
      h.check(
        old2 === BIG,
        `second append returned an old value of ${old2} chars, expected 10 MiB`,
      );
    });
    const growth = (await measureHeap(heap)) - before;
    const limit = 30 * MiB;
    h.check(
      chargeHeap(context, growth, limit) <= limit,
      `holding a 20 MiB value, ${describeCharge(growth, mib(limit))}`,
    );
  },
};
