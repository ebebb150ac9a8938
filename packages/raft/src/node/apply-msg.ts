/**
 * What a peer hands its service, in the shape of the course's `ApplyMsg`: either a committed
 * command or a snapshot to install (sent by the leader, or the persisted one at restart).
 */
export type ApplyMsg<Command = Uint8Array> = CommandApplyMsg<Command> | SnapshotApplyMsg;

export interface CommandApplyMsg<Command = Uint8Array> {
  readonly commandValid: true;
  readonly command: Command;
  readonly commandIndex: number;
  readonly commandTerm: number;
  readonly snapshotValid: false;
}

export interface SnapshotApplyMsg {
  readonly commandValid: false;
  readonly snapshotValid: true;
  readonly snapshot: Uint8Array;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
}
