export {
  allVoters,
  type Configuration,
  configuration,
  decodeConfiguration,
  EMPTY_CONFIGURATION,
  encodeConfiguration,
  formatConfiguration,
  isLearner,
  isMember,
  isVoter,
  sameConfiguration,
} from "./core/configuration.js";
export { RaftInvariantError, RaftUsageError, RaftWireError } from "./core/errors.js";
export type {
  TransferOutcome,
  TransferResult,
} from "./core/leader-transfer.js";
export {
  leaderMayChange,
  learnerCaughtUp,
  type MembershipChange,
  MembershipChangeError,
  type MembershipRefusal,
  planChange,
} from "./core/membership.js";
export type {
  AppendEntries,
  AppendEntriesReply,
  InstallSnapshot,
  InstallSnapshotReply,
  Message,
  ReplyMessage,
  RequestMessage,
  RequestVote,
  RequestVoteReply,
  TimeoutNow,
} from "./core/messages.js";
export { isRequest } from "./core/messages.js";
export {
  type ConfigChangeResult,
  RaftCore,
  type RaftCoreConfig,
  type RaftStatus,
  type RestoredState,
} from "./core/raft-core.js";
export type {
  ReadIndexStatus,
  ReadMode,
  ReadRequestId,
  ReadState,
} from "./core/read-only.js";
export type { Ready } from "./core/ready.js";
export type {
  Entry,
  EntryKind,
  HardState,
  PeerId,
  Role,
  Snapshot,
  SnapshotMeta,
} from "./core/types.js";
export { ApplyChannel } from "./node/apply-channel.js";
export {
  type ApplyMsg,
  applyMsgIndex,
  type CommandApplyMsg,
  type ConfigApplyMsg,
  type SnapshotApplyMsg,
} from "./node/apply-msg.js";
export { type MakeRaftOptions, makeRaft, Raft } from "./node/make-raft.js";
export {
  type MembershipChangeResult,
  RaftNode,
  type RaftNodeOptions,
  type RaftTuning,
} from "./node/raft-node.js";
export { RaftService } from "./node/raft-service.js";
export type {
  ReadIndexOptions,
  ReadIndexResult,
  TransferLeadershipResult,
} from "./node/read-and-transfer.js";
export { MemoryStorage, type MemoryStorageOptions } from "./storage/memory-storage.js";
export { Persister } from "./storage/persister.js";
export { PersisterStorage } from "./storage/persister-storage.js";
export type { Storage, StorageUpdate, StoredState } from "./storage/storage.js";
export { StorageCorruptError } from "./storage/storage-errors.js";
