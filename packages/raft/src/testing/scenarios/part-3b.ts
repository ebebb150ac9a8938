import type { RaftScenario } from "./types.js";

/** The course's 3B scenarios. */
export const part3B: readonly RaftScenario[] = [];
