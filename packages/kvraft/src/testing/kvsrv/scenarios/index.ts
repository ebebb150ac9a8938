import { basic, concurrent, unreliable } from "./generic.js";
import { memAppend, memGet, memPut } from "./mem-big-values.js";
import { memManyAppends } from "./mem-many-appends.js";
import { memGetManyClients, memPutManyClients } from "./mem-many-clients.js";
import { unreliableOneKey } from "./one-key.js";
import type { KvsrvScenario } from "./types.js";

/** Every kvsrv scenario of the course, in the course's order. */
export const kvsrvScenarios: readonly KvsrvScenario[] = Object.freeze([
  basic,
  concurrent,
  unreliable,
  unreliableOneKey,
  memGet,
  memPut,
  memAppend,
  memPutManyClients,
  memGetManyClients,
  memManyAppends,
]);

/** The scenario named `name` (case-insensitive; a `Test` prefix and `2` suffix are allowed). */
export function findKvsrvScenario(name: string): KvsrvScenario | undefined {
  const wanted = name.toLowerCase().replace(/^test/, "").replace(/2$/, "");
  return kvsrvScenarios.find((s) => s.name.toLowerCase() === wanted);
}
