import { genericScenario } from "./generic.js";
import { unreliableOneKey } from "./one-key.js";
import { onePartition } from "./one-partition.js";
import { snapshotRpc, snapshotSize } from "./snapshots.js";
import { speedScenario } from "./speed.js";
import type { KvraftScenario } from "./types.js";

/** Every kvraft scenario of the course (lab 4A and 4B), in the course's order. */
export const kvraftScenarios: readonly KvraftScenario[] = Object.freeze([
  genericScenario("4A", "Basic", "one client", { clients: 1, servers: 5 }),
  speedScenario("4A"),
  genericScenario("4A", "Concurrent", "many clients", { clients: 5, servers: 5 }),
  genericScenario("4A", "Unreliable", "unreliable net, many clients", {
    clients: 5,
    servers: 5,
    unreliable: true,
  }),
  unreliableOneKey,
  onePartition,
  genericScenario("4A", "ManyPartitionsOneClient", "partitions, one client", {
    clients: 1,
    servers: 5,
    partitions: true,
  }),
  genericScenario("4A", "ManyPartitionsManyClients", "partitions, many clients", {
    clients: 5,
    servers: 5,
    partitions: true,
  }),
  genericScenario("4A", "PersistOneClient", "restarts, one client", {
    clients: 1,
    servers: 5,
    crash: true,
  }),
  genericScenario("4A", "PersistConcurrent", "restarts, many clients", {
    clients: 5,
    servers: 5,
    crash: true,
  }),
  genericScenario("4A", "PersistConcurrentUnreliable", "unreliable net, restarts, many clients", {
    clients: 5,
    servers: 5,
    unreliable: true,
    crash: true,
  }),
  genericScenario("4A", "PersistPartition", "restarts, partitions, many clients", {
    clients: 5,
    servers: 5,
    crash: true,
    partitions: true,
  }),
  genericScenario(
    "4A",
    "PersistPartitionUnreliable",
    "unreliable net, restarts, partitions, many clients",
    { clients: 5, servers: 5, unreliable: true, crash: true, partitions: true },
  ),
  genericScenario(
    "4A",
    "PersistPartitionUnreliableLinearizable",
    "unreliable net, restarts, partitions, random keys, many clients",
    { clients: 15, servers: 7, unreliable: true, crash: true, partitions: true, randomKeys: true },
  ),
  snapshotRpc,
  snapshotSize,
  speedScenario("4B"),
  genericScenario("4B", "SnapshotRecover", "restarts, snapshots, one client", {
    clients: 1,
    servers: 5,
    crash: true,
  }),
  genericScenario("4B", "SnapshotRecoverManyClients", "restarts, snapshots, many clients", {
    clients: 20,
    servers: 5,
    crash: true,
  }),
  genericScenario("4B", "SnapshotUnreliable", "unreliable net, snapshots, many clients", {
    clients: 5,
    servers: 5,
    unreliable: true,
  }),
  genericScenario(
    "4B",
    "SnapshotUnreliableRecover",
    "unreliable net, restarts, snapshots, many clients",
    { clients: 5, servers: 5, unreliable: true, crash: true },
  ),
  genericScenario(
    "4B",
    "SnapshotUnreliableRecoverConcurrentPartition",
    "unreliable net, restarts, partitions, snapshots, many clients",
    { clients: 5, servers: 5, unreliable: true, crash: true, partitions: true },
  ),
  genericScenario(
    "4B",
    "SnapshotUnreliableRecoverConcurrentPartitionLinearizable",
    "unreliable net, restarts, partitions, snapshots, random keys, many clients",
    { clients: 15, servers: 7, unreliable: true, crash: true, partitions: true, randomKeys: true },
  ),
]);

/**
 * The scenario named `name`: `4A/OnePartition`, or the course's test name (`TestOnePartition4A`),
 * case-insensitive.
 */
export function findKvraftScenario(name: string): KvraftScenario | undefined {
  const wanted = name.toLowerCase();
  const course = /^(?:test)?(.*?)(4a|4b)$/.exec(wanted);
  const normalized = course === null ? wanted : `${course[2]}/${course[1]}`;
  return kvraftScenarios.find((s) => s.name.toLowerCase() === normalized);
}

/** The scenarios of one part. */
export function kvraftScenariosOf(part: string): KvraftScenario[] {
  return kvraftScenarios.filter((s) => s.part.toLowerCase() === part.toLowerCase());
}
