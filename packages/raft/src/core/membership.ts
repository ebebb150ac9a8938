import { LabError } from "@lab/labgob";
import {
  type Configuration,
  configuration,
  isLearner,
  isMember,
  isVoter,
} from "./configuration.js";
import type { PeerId } from "./types.js";

/**
 * One single-server membership change (Raft thesis §4.1): configurations that differ by one
 * peer always have overlapping majorities, so the cluster can switch from one to the next
 * without a joint phase, provided changes happen one at a time.
 * - `add-learner`: a new peer joins as a learner and starts receiving the log;
 * - `promote`: a learner that has caught up becomes a voter;
 * - `demote`: a voter becomes a learner;
 * - `remove`: a voter or learner leaves the cluster.
 */
export type MembershipChange =
  | { readonly type: "add-learner"; readonly id: PeerId }
  | { readonly type: "promote"; readonly id: PeerId }
  | { readonly type: "demote"; readonly id: PeerId }
  | { readonly type: "remove"; readonly id: PeerId };

/**
 * Why a membership change was refused:
 * - `not-leader`: only the leader changes the configuration;
 * - `change-in-progress`: another config entry is not committed yet (one change at a time);
 * - `term-not-committed`: this leader has not committed an entry of its own term yet, so an
 *   uncommitted change of an earlier leader might still commit (the leader appends an entry
 *   to commit; retry once it has);
 * - `transfer-in-progress`: the leader is handing leadership over;
 * - `invalid-change`: not a change this API knows, or a peer id that is not a non-negative
 *   integer;
 * - `already-member`: `add-learner` of a peer that is in the configuration;
 * - `unknown-peer`: the peer is not in the configuration;
 * - `not-a-learner`: `promote` of a voter;
 * - `not-a-voter`: `demote` of a learner;
 * - `last-voter`: the change would leave no voter;
 * - `learner-behind`: `promote` of a learner that has not caught up with the leader's log;
 * - `stepped-down` (RaftNode only): the leader lost leadership and its config entry was
 *   replaced by another leader's;
 * - `killed` (RaftNode only): the node was killed before the change committed.
 */
export type MembershipRefusal =
  | "not-leader"
  | "change-in-progress"
  | "term-not-committed"
  | "transfer-in-progress"
  | "invalid-change"
  | "already-member"
  | "unknown-peer"
  | "not-a-learner"
  | "not-a-voter"
  | "last-voter"
  | "learner-behind"
  | "stepped-down"
  | "killed";

/** A refused membership change: `reason` says why, the message says it in words. */
export class MembershipChangeError extends LabError {
  static override readonly code: string = "LAB_RAFT_MEMBERSHIP";
  readonly reason: MembershipRefusal;

  constructor(reason: MembershipRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The configuration after `change`, or why the change does not apply to `config`. */
export function planChange(
  config: Configuration,
  change: MembershipChange,
): Configuration | MembershipChangeError {
  const id = (change as { id?: unknown }).id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
    return new MembershipChangeError(
      "invalid-change",
      `a membership change needs a non-negative integer peer id, got ${String(id)}`,
    );
  }
  const voters = config.voters.filter((v) => v !== id);
  const learners = config.learners.filter((l) => l !== id);
  switch (change.type) {
    case "add-learner":
      if (isMember(config, id)) {
        const role = isVoter(config, id) ? "a voter" : "a learner";
        return new MembershipChangeError("already-member", `peer ${id} is already ${role}`);
      }
      return configuration(config.voters, [...config.learners, id]);
    case "promote":
      if (isVoter(config, id)) {
        return new MembershipChangeError("not-a-learner", `peer ${id} is already a voter`);
      }
      if (!isLearner(config, id)) return unknown(id);
      return configuration([...config.voters, id], learners);
    case "demote":
      if (isLearner(config, id)) {
        return new MembershipChangeError("not-a-voter", `peer ${id} is already a learner`);
      }
      if (!isVoter(config, id)) return unknown(id);
      if (voters.length === 0) return lastVoter(id);
      return configuration(voters, [...config.learners, id]);
    case "remove":
      if (!isMember(config, id)) return unknown(id);
      if (isVoter(config, id) && voters.length === 0) return lastVoter(id);
      return configuration(voters, learners);
    default:
      return new MembershipChangeError(
        "invalid-change",
        `unknown membership change type ${String((change as { type?: unknown }).type)}`,
      );
  }
}

/** What a leader knows when it is asked for a change, to decide whether it may make one. */
export interface LeaderChangeState {
  /** Index of the latest config entry in the log (0 when the config is the initial one). */
  readonly configIndex: number;
  readonly commit: number;
  /** The leader has committed an entry of its current term. */
  readonly committedInTerm: boolean;
  readonly transferring: boolean;
}

/**
 * Whether a leader may append a config entry now: one change at a time (the previous config
 * entry is committed), and only once it committed an entry of its own term. The second rule
 * closes the hole of single-server changes found after the thesis (raft-dev, 2015): without
 * it, a new leader's change and an uncommitted change of an earlier leader could produce two
 * configurations that differ by two peers, whose majorities need not overlap.
 */
export function leaderMayChange(state: LeaderChangeState): MembershipChangeError | undefined {
  if (state.transferring) {
    return new MembershipChangeError(
      "transfer-in-progress",
      "the leader is handing leadership over; retry with the new leader",
    );
  }
  if (state.configIndex > state.commit) {
    return new MembershipChangeError(
      "change-in-progress",
      `the config entry at index ${state.configIndex} is not committed yet (commit ${state.commit})`,
    );
  }
  if (!state.committedInTerm) {
    return new MembershipChangeError(
      "term-not-committed",
      "this leader has not committed an entry of its term yet; retry once it has",
    );
  }
  return undefined;
}

/**
 * A learner has caught up when it is within `maxLag` entries of the leader's last index:
 * promoting it then adds a voter that can acknowledge new entries at once, instead of one
 * that holds commits back (or, in a small cluster, stops them) while it catches up.
 */
export function learnerCaughtUp(match: number, leaderLastIndex: number, maxLag: number): boolean {
  return leaderLastIndex - match <= maxLag;
}

function unknown(id: PeerId): MembershipChangeError {
  return new MembershipChangeError("unknown-peer", `peer ${id} is not in the configuration`);
}

function lastVoter(id: PeerId): MembershipChangeError {
  return new MembershipChangeError(
    "last-voter",
    `peer ${id} is the last voter; a cluster needs at least one`,
  );
}
