import { preview } from "../../kvsrv/scenarios/elements.js";
import type { KvraftLabPart, KvraftScenario } from "./types.js";

const OPS = 1000;
/** The course's bound: a third of a 100 ms heartbeat interval per operation on average. */
const MAX_MS_PER_OP = 100 / 3;

/**
 * The course's TestSpeed: after one Get (so the clerk knows the leader), one client makes 1000
 * Appends one after another; they must take at most 33.3 ms each on average, which a leader that
 * waits for its next heartbeat to replicate cannot do. Then the key must hold them all.
 */
export function speedScenario(part: KvraftLabPart): KvraftScenario {
  return {
    name: `${part}/Speed`,
    part,
    title: "ops complete fast enough",
    cluster: { n: 3, unreliable: false, maxRaftState: part === "4B" ? 1000 : -1 },
    async run(h) {
      await h.run(async () => {
        const ck = h.makeClient();
        await ck.get("x");
        const start = h.sim.now();
        let expected = "";
        for (let i = 0; i < OPS; i++) {
          const next = `x 0 ${i} y`;
          await ck.append("x", next);
          expected += next;
        }
        const msPerOp = (h.sim.now() - start) / OPS;
        h.check(
          msPerOp <= MAX_MS_PER_OP,
          `operations took ${msPerOp.toFixed(1)} ms each on average (at most ${MAX_MS_PER_OP.toFixed(1)} allowed)`,
        );
        const value = await ck.get("x");
        h.check(value === expected, `get(x) after ${OPS} appends returned ${preview(value)}`);
      });
      h.checkLinearizable();
    },
  };
}
