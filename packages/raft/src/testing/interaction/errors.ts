import { LabError } from "@lab/labgob";

/**
 * An interaction script is malformed or asks for something impossible (an unknown command, a
 * node that does not exist, a missing argument). The message names the script file and line.
 */
export class InteractionScriptError extends LabError {
  static override readonly code: string = "LAB_RAFT_INTERACTION_SCRIPT";
}
