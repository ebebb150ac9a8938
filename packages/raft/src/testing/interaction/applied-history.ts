import { RaftInvariantError } from "../../core/errors.js";
import type { PeerId } from "../../core/types.js";

/**
 * What every node handed to its service, index by index, across crashes and restarts: the
 * driver's check of State Machine Safety. Two nodes applying different commands at one index
 * is a protocol bug, so it throws at once instead of showing up as a line of output.
 */
export class AppliedHistory {
  readonly #byIndex = new Map<number, { value: string; node: PeerId }>();

  record(node: PeerId, index: number, value: string): void {
    const seen = this.#byIndex.get(index);
    if (seen === undefined) {
      this.#byIndex.set(index, { value, node });
      return;
    }
    if (seen.value !== value) {
      throw new RaftInvariantError(
        `state machine safety violated: node ${node} applied ${JSON.stringify(value)} at index ${index}, node ${seen.node} applied ${JSON.stringify(seen.value)}`,
      );
    }
  }
}
