import type { Configuration } from "../core/configuration.js";

/**
 * What a peer hands its service, in the shape of the course's `ApplyMsg`: a committed command,
 * a snapshot to install (sent by the leader, or the persisted one at restart), or a committed
 * membership change (only in clusters that change their membership).
 */
export type ApplyMsg<Command = Uint8Array> =
  | CommandApplyMsg<Command>
  | SnapshotApplyMsg
  | ConfigApplyMsg;

export interface CommandApplyMsg<Command = Uint8Array> {
  readonly commandValid: true;
  readonly command: Command;
  readonly commandIndex: number;
  readonly commandTerm: number;
  readonly snapshotValid: false;
  readonly configValid?: false;
}

export interface SnapshotApplyMsg {
  readonly commandValid: false;
  readonly snapshotValid: true;
  readonly snapshot: Uint8Array;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly configValid?: false;
}

/**
 * A committed config entry: from `configIndex` on the cluster is `config`. It holds no
 * command, but takes a log index: a service that counts indexes (to snapshot, or to wait for
 * its own commands) must treat `configIndex` as applied.
 */
export interface ConfigApplyMsg {
  readonly commandValid: false;
  readonly snapshotValid: false;
  readonly configValid: true;
  readonly config: Configuration;
  readonly configIndex: number;
  readonly configTerm: number;
}

/** The log index an ApplyMsg brings the service to. */
export function applyMsgIndex(message: ApplyMsg<unknown>): number {
  if (message.commandValid) return message.commandIndex;
  if (message.snapshotValid) return message.snapshotIndex;
  return message.configIndex;
}
