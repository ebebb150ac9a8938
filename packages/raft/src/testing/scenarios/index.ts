import { part3A } from "./part-3a.js";
import { part3B } from "./part-3b.js";
import { part3C } from "./part-3c.js";
import { part3D } from "./part-3d.js";
import type { RaftScenario } from "./types.js";

export { runScenario, type ScenarioRunOptions, type ScenarioRunResult } from "./run-scenario.js";
export type { RaftLabPart, RaftScenario } from "./types.js";

/** Every scenario of the course's Raft lab, in the course's order. */
export const raftScenarios: readonly RaftScenario[] = [...part3A, ...part3B, ...part3C, ...part3D];

/** The scenario with this name, or undefined. */
export function findScenario(name: string): RaftScenario | undefined {
  return raftScenarios.find((s) => s.name === name);
}
