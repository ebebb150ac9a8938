import type { RaftScenario } from "./types.js";

/** The course's 3D scenarios. */
export const part3D: readonly RaftScenario[] = [];
