import type { RaftScenario } from "./types.js";

/** The course's 3A scenarios. */
export const part3A: readonly RaftScenario[] = [];
