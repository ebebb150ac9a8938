import {
  configuration,
  formatConfiguration as formatConfigurationOf,
} from "../../core/configuration.js";
import { RaftUsageError } from "../../core/errors.js";
import type { MembershipChange } from "../../core/membership.js";
import type { PeerId } from "../../core/types.js";
import { type CommandLine, parseCount } from "./command-line.js";
import { InteractionScriptError } from "./errors.js";
import type { InteractionEnv } from "./interaction-env.js";
import type { MessageFilter } from "./test-network.js";

/** One command of the script language: its synopsis (for errors and docs) and its action. */
export interface InteractionCommand {
  readonly usage: string;
  readonly summary: string;
  readonly run: (env: InteractionEnv, cmd: CommandLine) => string[];
}

const MESSAGE_TYPES = new Set([
  "RequestVote",
  "RequestVoteReply",
  "PreVote",
  "PreVoteReply",
  "AppendEntries",
  "AppendEntriesReply",
  "InstallSnapshot",
  "InstallSnapshotReply",
  "TimeoutNow",
]);

const CHANGE_TYPES = new Set(["add-learner", "promote", "demote", "remove"]);

/** Peer ids of a comma list (`0,2`) among `0..count-1`, for add-nodes (no nodes exist yet). */
function idList(raw: string, count: number): PeerId[] {
  return raw.split(",").map((part) => {
    const id = parseCount(part, "a node id");
    if (id >= count) throw new InteractionScriptError(`no node ${id} (nodes are 0..${count - 1})`);
    return id;
  });
}

/** Node ids from tokens: numbers, comma lists (`0,2`) or `all`. */
function parseNodes(env: InteractionEnv, tokens: readonly string[]): PeerId[] {
  const ids: PeerId[] = [];
  for (const token of tokens) {
    for (const part of token.split(",")) {
      if (part === "") continue;
      if (part === "all") ids.push(...env.ids);
      else ids.push(env.node(parseCount(part, "a node id")).id);
    }
  }
  return [...new Set(ids)];
}

function requiredNodes(env: InteractionEnv, cmd: CommandLine): PeerId[] {
  if (cmd.positional.length === 0) throw new InteractionScriptError("which nodes?");
  return parseNodes(env, cmd.positional);
}

function oneNode(env: InteractionEnv, cmd: CommandLine, extra = 0): PeerId {
  if (cmd.positional.length !== 1 + extra) {
    throw new InteractionScriptError(`expected a node id${extra > 0 ? " and arguments" : ""}`);
  }
  return env.node(parseCount(cmd.positional[0] as string, "a node id")).id;
}

function nodeSetOption(env: InteractionEnv, cmd: CommandLine, key: string) {
  const raw = cmd.option(key);
  return raw === undefined ? undefined : new Set(parseNodes(env, [raw]));
}

function filterOf(env: InteractionEnv, cmd: CommandLine): MessageFilter {
  const from = nodeSetOption(env, cmd, "from");
  const to = nodeSetOption(env, cmd, "to");
  const rawTypes = cmd.option("type");
  let types: Set<string> | undefined;
  if (rawTypes !== undefined) {
    types = new Set(rawTypes.split(","));
    for (const t of types) {
      if (!MESSAGE_TYPES.has(t)) throw new InteractionScriptError(`unknown message type ${t}`);
    }
  }
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(types !== undefined ? { types } : {}),
  };
}

/** An `on`/`off` option, or `undefined` when absent. */
function onOffOption(cmd: CommandLine, key: string): boolean | undefined {
  const raw = cmd.option(key);
  if (raw === undefined) return undefined;
  if (raw !== "on" && raw !== "off") throw new InteractionScriptError(`${key}=on|off, got ${raw}`);
  return raw === "on";
}

function tickElection(env: InteractionEnv, cmd: CommandLine): string[] {
  const ids = requiredNodes(env, cmd);
  // A follower's timeout is below electionTicks.max, counted from its last reset.
  return env.tick(ids, env.settings.electionTicks?.max ?? 100, true);
}

/** The script language. Node ids are the core's peer ids, 0..n-1. */
export const interactionCommands: Readonly<Record<string, InteractionCommand>> = {
  "add-nodes": {
    usage:
      "add-nodes <n> [seed=<int>] [election=<min>-<max>] [heartbeat=<ticks>] [max-entries=<n>] [max-bytes=<n>] [max-inflight=<n>] [pre-vote=on|off] [check-quorum=on|off] [read-mode=safe|lease] [lease-drift=<ticks>] [voters=<nodes>] [learners=<nodes>] [catch-up=<entries>] [async-writes=on|off]",
    summary:
      "creates nodes 0..n-1 (once per script); timing in ticks, defaults as the core's (pre-vote and check-quorum on, safe reads, synchronous writes)",
    run: (env, cmd) => {
      const count = parseCount(cmd.positional[0] ?? "", "the node count");
      const election = cmd.option("election");
      let electionTicks: { min: number; max: number } | undefined;
      if (election !== undefined) {
        const m = /^(\d+)-(\d+)$/.exec(election);
        if (m === null) throw new InteractionScriptError(`election=<min>-<max>, got ${election}`);
        electionTicks = { min: Number(m[1]), max: Number(m[2]) };
      }
      const heartbeat = cmd.option("heartbeat");
      const maxEntries = cmd.option("max-entries");
      const maxBytes = cmd.option("max-bytes");
      const maxInflight = cmd.option("max-inflight");
      const preVote = onOffOption(cmd, "pre-vote");
      const checkQuorum = onOffOption(cmd, "check-quorum");
      const readMode = cmd.option("read-mode");
      if (readMode !== undefined && readMode !== "safe" && readMode !== "lease") {
        throw new InteractionScriptError(`read-mode=safe|lease, got ${readMode}`);
      }
      const leaseDrift = cmd.option("lease-drift");
      const voters = cmd.option("voters");
      const learners = cmd.option("learners");
      const catchUp = cmd.option("catch-up");
      const asyncWrites = onOffOption(cmd, "async-writes");
      return env.addNodes(count, {
        ...(voters !== undefined
          ? {
              initialConfiguration: configuration(
                idList(voters, count),
                learners === undefined ? [] : idList(learners, count),
              ),
            }
          : {}),
        ...(catchUp !== undefined
          ? { learnerCatchUpEntries: parseCount(catchUp, "catch-up") }
          : {}),
        seed: cmd.intOption("seed", 1),
        ...(electionTicks !== undefined ? { electionTicks } : {}),
        ...(heartbeat !== undefined ? { heartbeatTicks: parseCount(heartbeat, "heartbeat") } : {}),
        ...(maxEntries !== undefined
          ? { maxEntriesPerMessage: parseCount(maxEntries, "max-entries") }
          : {}),
        ...(maxBytes !== undefined
          ? { maxBytesPerMessage: parseCount(maxBytes, "max-bytes") }
          : {}),
        ...(maxInflight !== undefined
          ? { maxInflight: parseCount(maxInflight, "max-inflight") }
          : {}),
        ...(preVote !== undefined ? { preVote } : {}),
        ...(checkQuorum !== undefined ? { checkQuorum } : {}),
        ...(readMode !== undefined ? { readMode } : {}),
        ...(leaseDrift !== undefined
          ? { leaseDriftTicks: parseCount(leaseDrift, "lease-drift") }
          : {}),
        ...(asyncWrites !== undefined ? { asyncStorageWrites: asyncWrites } : {}),
      });
    },
  },
  tick: {
    usage: "tick <nodes> [n=<count>]",
    summary: "ticks the nodes together n times (default 1); prints state changes by tick",
    run: (env, cmd) => env.tick(requiredNodes(env, cmd), cmd.intOption("n", 1)),
  },
  "tick-election": {
    usage: "tick-election <nodes>",
    summary:
      "ticks the nodes together until one of them times out and starts an election (or a pre-vote)",
    run: tickElection,
  },
  campaign: {
    usage: "campaign <node>",
    summary: "ticks one node until its election timeout fires (the core has no other way)",
    run: (env, cmd) => tickElection(env, cmd),
  },
  "tick-heartbeat": {
    usage: "tick-heartbeat <nodes>",
    summary: "ticks the nodes a heartbeat interval: a leader sends its heartbeats",
    run: (env, cmd) => env.tick(requiredNodes(env, cmd), env.settings.heartbeatTicks ?? 10),
  },
  propose: {
    usage: "propose <node> <value>",
    summary: "proposes a command (a word without commas) at a node",
    run: (env, cmd) => {
      const id = oneNode(env, cmd, 1);
      const value = cmd.positional[1] as string;
      if (value.includes(",")) throw new InteractionScriptError("values may not contain commas");
      const node = env.upNode(id);
      const r = node.propose(value);
      const transferee = node.core.status().transferee;
      if (r === undefined && transferee !== null) {
        return [`rejected: ${id} is handing leadership to ${transferee}`];
      }
      if (r === undefined) return [`rejected: ${id} is ${node.core.role}`];
      return [`proposed ${r.term}/${r.index}`];
    },
  },
  "conf-change": {
    usage: "conf-change <node> add-learner|promote|demote|remove <id>",
    summary:
      "asks the node to change the membership by one peer; prints the config entry or why not",
    run: (env, cmd) => {
      const id = oneNode(env, cmd, 2);
      const type = cmd.positional[1] as string;
      if (!CHANGE_TYPES.has(type)) {
        throw new InteractionScriptError(
          `change type add-learner|promote|demote|remove, got ${type}`,
        );
      }
      const peer = parseCount(cmd.positional[2] as string, "a peer id");
      const change = { type, id: peer } as MembershipChange;
      const r = env.upNode(id).core.proposeConfigChange(change);
      if (!r.ok) return [`refused (${r.error.reason}): ${r.error.message}`];
      return [`proposed ${r.term}/${r.index} config(${formatConfigurationOf(r.config)})`];
    },
  },
  config: {
    usage: "config <nodes>",
    summary: "the configuration each node uses and the index of its config entry",
    run: (env, cmd) => env.config(requiredNodes(env, cmd)),
  },
  "read-index": {
    usage: "read-index <node> <id>",
    summary:
      "asks the node for a linearizable read with request id <id>; its read state comes in a later ready",
    run: (env, cmd) => {
      const id = oneNode(env, cmd, 1);
      const requestId = parseCount(cmd.positional[1] as string, "the request id");
      const node = env.upNode(id);
      const status = node.core.readIndex(requestId);
      if (status === "not-leader") return [`rejected: ${id} is ${node.core.role}`];
      const how = {
        lease: "served from the lease",
        round: "waiting for a round of heartbeats",
        "awaiting-commit": "waiting for the first commit of the term",
      }[status];
      return [`read ${requestId}: ${how}`];
    },
  },
  "transfer-leadership": {
    usage: "transfer-leadership <node> <to>",
    summary: "asks the node (a leader) to hand leadership to <to>",
    run: (env, cmd) => {
      const id = oneNode(env, cmd, 1);
      const raw = cmd.positional[1] as string;
      const to = parseCount(raw, "the target");
      const node = env.upNode(id);
      let started: boolean;
      try {
        started = node.core.transferLeadership(to);
      } catch (error) {
        if (error instanceof RaftUsageError) return [`error: ${error.message}`];
        throw error;
      }
      if (!started) return [`rejected: ${id} is ${node.core.role}`];
      return [`transfer to ${to} started`];
    },
  },
  compact: {
    usage: "compact <node> <index>",
    summary: "the node's service snapshots its state up to index; the log before it is dropped",
    run: (env, cmd) => {
      const id = oneNode(env, cmd, 1);
      const index = parseCount(cmd.positional[1] as string, "the index");
      try {
        env.upNode(id).compact(index);
      } catch (error) {
        if (error instanceof RaftUsageError) return [`error: ${error.message}`];
        throw error;
      }
      return env.raftState([id]);
    },
  },
  "process-ready": {
    usage: "process-ready <nodes>",
    summary:
      "each node handles one Ready: persist, then send, then apply (async writes: hand the update over, send what need not wait, apply)",
    run: (env, cmd) => env.processReady(requiredNodes(env, cmd)),
  },
  sync: {
    usage: "sync <nodes> [n=<count>]",
    summary:
      "async writes: makes each node's oldest n pending writes durable (default all), reports them to the core, sends what waited for them",
    run: (env, cmd) => {
      const raw = cmd.option("n");
      const count = raw === undefined ? undefined : parseCount(raw, "n");
      if (count === 0) throw new InteractionScriptError("n must be at least 1");
      return env.sync(requiredNodes(env, cmd), count);
    },
  },
  "deliver-msgs": {
    usage: "deliver-msgs [from=<nodes>] [to=<nodes>] [type=<types>] [drop=<nodes>]",
    summary: "delivers matching messages in flight, oldest first; those to drop= nodes are lost",
    run: (env, cmd) => {
      const drop = nodeSetOption(env, cmd, "drop") ?? new Set<PeerId>();
      return env.deliver(filterOf(env, cmd), drop);
    },
  },
  "drop-msgs": {
    usage: "drop-msgs [from=<nodes>] [to=<nodes>] [type=<types>]",
    summary: "loses matching messages in flight",
    run: (env, cmd) => env.deliver(filterOf(env, cmd), new Set(env.ids)),
  },
  stabilize: {
    usage: "stabilize [<nodes>] [brief]",
    summary:
      "handles Readies and delivers messages until quiet (among the nodes, default all); brief: only the outcome",
    run: (env, cmd) => {
      const brief = cmd.positional.includes("brief");
      const nodes = cmd.positional.filter((t) => t !== "brief");
      return env.stabilize(nodes.length === 0 ? env.ids : parseNodes(env, nodes), brief);
    },
  },
  msgs: {
    usage: "msgs",
    summary: "lists messages in flight and replies held until their node persists",
    run: (env) => env.messages(),
  },
  partition: {
    usage: "partition <nodes> | <nodes> [| ...]",
    summary: "cuts every link between groups (unlisted nodes are alone)",
    run: (env, cmd) => {
      const groups: PeerId[][] = [[]];
      for (const token of cmd.positional) {
        if (token === "|") groups.push([]);
        else groups.at(-1)?.push(...parseNodes(env, [token]));
      }
      if (groups.length < 2 || groups.some((g) => g.length === 0)) {
        throw new InteractionScriptError("partition needs non-empty groups separated by |");
      }
      return env.partition(groups);
    },
  },
  heal: {
    usage: "heal",
    summary: "restores every link",
    run: (env) => env.heal(),
  },
  crash: {
    usage: "crash <node>",
    summary: "stops a node: it keeps only what it persisted",
    run: (env, cmd) => env.crash(oneNode(env, cmd)),
  },
  restart: {
    usage: "restart <node>",
    summary: "starts a crashed node from its storage",
    run: (env, cmd) => env.restart(oneNode(env, cmd)),
  },
  "raft-state": {
    usage: "raft-state",
    summary: "one line per node: role, term, vote, leader, commit, applied, last log position",
    run: (env) => env.raftState(env.ids),
  },
  status: {
    usage: "status <nodes>",
    summary: "the raft-state lines of some nodes",
    run: (env, cmd) => env.raftState(requiredNodes(env, cmd)),
  },
  log: {
    usage: "log <node>",
    summary: "the node's log as the core holds it, uncommitted entries marked",
    run: (env, cmd) => env.log(oneNode(env, cmd)),
  },
  storage: {
    usage: "storage <node>",
    summary: "what the node's storage holds: what a restart would find",
    run: (env, cmd) => env.storage(oneNode(env, cmd)),
  },
  applied: {
    usage: "applied <node>",
    summary: "the node's service state: the commands applied, in order",
    run: (env, cmd) => env.applied(oneNode(env, cmd)),
  },
};

/** Runs one command line against `env`; returns its output lines. */
export function runCommand(env: InteractionEnv, cmd: CommandLine): string[] {
  const command = Object.hasOwn(interactionCommands, cmd.name)
    ? interactionCommands[cmd.name]
    : undefined;
  if (command === undefined) throw new InteractionScriptError(`unknown command ${cmd.name}`);
  try {
    const lines = command.run(env, cmd);
    cmd.checkAllOptionsUsed();
    return lines;
  } catch (error) {
    if (error instanceof InteractionScriptError) {
      throw new InteractionScriptError(`${error.message} (usage: ${command.usage})`, {
        cause: error,
      });
    }
    throw error;
  }
}
