/** The course's bound on persisted Raft state in 3D: it must stay below 2000 bytes. */
export const MAX_LOG_SIZE_BYTES = 2000;

/** The harness's service snapshots after every 10 applied entries (the course's interval). */
export const SNAPSHOT_INTERVAL = 10;

/** How many commands to send so that a snapshot probably happens: 5 to 14. */
export function entriesForASnapshot(draw: (n: number) => number): number {
  return SNAPSHOT_INTERVAL / 2 + draw(SNAPSHOT_INTERVAL);
}
