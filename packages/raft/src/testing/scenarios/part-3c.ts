import type { RaftScenario } from "./types.js";

/** The course's 3C scenarios. */
export const part3C: readonly RaftScenario[] = [];
