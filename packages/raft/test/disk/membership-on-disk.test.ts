import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SeededRandom } from "@lab/labrpc";
import { afterAll, describe, expect, it } from "vitest";
import { crc32 } from "../../src/disk/crc32.js";
import { DiskStorage } from "../../src/disk/index.js";
import {
  configuration,
  type Entry,
  encodeConfiguration,
  MemoryStorage,
  Persister,
  PersisterStorage,
  RaftCore,
} from "../../src/index.js";
import { decodeRaftState, encodeRaftState } from "../../src/storage/raft-state-codec.js";
import { TmpDirs } from "./tmp-dirs.js";

// Membership state survives a restart: config entries in the log and the configuration of
// the snapshot, in the WAL (format version 2, version 1 still read) and in the Persister.

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

const text = new TextEncoder();
const learner3 = configuration([0, 1, 2], [3]);
const voters4 = configuration([0, 1, 2, 3]);

function configEntry(index: number, term: number, config = learner3): Entry {
  return { index, term, command: encodeConfiguration(config), kind: "config" };
}

function normal(index: number, term: number): Entry {
  return { index, term, command: text.encode(`v${index}`) };
}

describe("DiskStorage keeps membership across restarts", () => {
  it("config entries, and the snapshot's configuration after compaction", async () => {
    const dir = dirs.make();
    const s1 = await DiskStorage.open(dir);
    await s1.persist({
      hardState: { term: 2, votedFor: 0, commit: 3 },
      entries: { from: 1, entries: [normal(1, 1), configEntry(2, 1), normal(3, 2)] },
    });
    await s1.close();
    const s2 = await DiskStorage.open(dir);
    const state = s2.initialState();
    expect(state.entries.map((e) => e.kind ?? "normal")).toEqual(["normal", "config", "normal"]);
    // A core restarted from it uses the config entry's configuration.
    const core = new RaftCore({ id: 0, peerCount: 3, random: new SeededRandom(1) }, state);
    expect(core.configuration).toEqual(learner3);
    // Compaction past the config entry: the snapshot carries the configuration (a checkpoint).
    await s2.persist({
      snapshot: { meta: { index: 3, term: 2, config: learner3 }, data: text.encode("s") },
      entries: { from: 4, entries: [configEntry(4, 2, voters4)] },
    });
    await s2.close();
    const s3 = await DiskStorage.open(dir);
    const again = s3.initialState();
    expect(again.snapshot?.meta).toEqual({ index: 3, term: 2, config: learner3 });
    expect(again.entries).toEqual([configEntry(4, 2, voters4)]);
    const restarted = new RaftCore({ id: 0, peerCount: 3, random: new SeededRandom(1) }, again);
    expect(restarted.configuration).toEqual(voters4);
    expect(restarted.status().configIndex).toBe(4);
    await s3.close();
  });

  it("reads a version 1 log (no entry kinds, no snapshot config), then writes version 2", async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "wal-0000000000000001.log"), versionOneSegment());
    const s = await DiskStorage.open(dir);
    const state = s.initialState();
    expect(state.hardState).toEqual({ term: 3, votedFor: 1, commit: 2 });
    expect(state.entries).toEqual([
      { index: 1, term: 2, command: text.encode("a") },
      { index: 2, term: 3, command: text.encode("bc") },
    ]);
    // New writes go to a fresh version 2 checkpoint, and read back with entry kinds.
    await s.persist({ entries: { from: 3, entries: [configEntry(3, 3)] } });
    await s.close();
    expect(readdirSync(dir).filter((n) => n.startsWith("wal-"))).toEqual([
      "wal-0000000000000002.log",
    ]);
    const reopened = await DiskStorage.open(dir);
    expect(reopened.initialState().entries.map((e) => e.kind ?? "normal")).toEqual([
      "normal",
      "normal",
      "config",
    ]);
    await reopened.close();
  });
});

describe("PersisterStorage keeps membership across restarts", () => {
  it("round-trips config entries and the snapshot's configuration", () => {
    const state = {
      hardState: { term: 4, votedFor: 2, commit: 6 },
      snapshot: { index: 5, term: 3, config: learner3 },
      entries: [configEntry(6, 4, voters4), normal(7, 4)],
    };
    expect(decodeRaftState(encodeRaftState(state))).toEqual(state);
    // A state written before membership existed decodes with no configuration.
    const old = { hardState: state.hardState, snapshot: { index: 5, term: 3 }, entries: [] };
    expect(decodeRaftState(encodeRaftState(old)).snapshot).toEqual({ index: 5, term: 3 });
  });

  it("MemoryStorage counts config entries and the snapshot's config in raftStateSize", () => {
    const storage = new MemoryStorage();
    const snapshot = { meta: { index: 1, term: 1, config: learner3 }, data: text.encode("x") };
    const hardState = { term: 1, votedFor: 0, commit: 1 };
    const log = [configEntry(2, 1, voters4), normal(3, 1)];
    void storage.persist({ hardState, snapshot, entries: { from: 2, entries: log } });
    expect(storage.raftStateSize()).toBe(
      encodeRaftState({ hardState, snapshot: snapshot.meta, entries: log }).length,
    );
  });

  it("a restarted peer on the Persister finds its configuration", () => {
    const persister = new Persister();
    const storage = new PersisterStorage(persister);
    storage.persist({
      hardState: { term: 1, votedFor: 0, commit: 1 },
      snapshot: { meta: { index: 1, term: 1, config: learner3 }, data: text.encode("x") },
    });
    storage.persist({ entries: { from: 2, entries: [configEntry(2, 1, voters4), normal(3, 1)] } });
    // The bytes saved are exactly a full encoding of the state (header, log, then the config).
    expect(persister.readRaftState()).toEqual(
      encodeRaftState({
        hardState: { term: 1, votedFor: 0, commit: 1 },
        snapshot: { index: 1, term: 1, config: learner3 },
        entries: [configEntry(2, 1, voters4), normal(3, 1)],
      }),
    );
    expect(storage.raftStateSize()).toBe(persister.raftStateSize());
    const again = new PersisterStorage(persister.copy());
    const core = new RaftCore(
      { id: 0, peerCount: 3, random: new SeededRandom(1) },
      again.initialState(),
    );
    expect(core.configuration).toEqual(voters4);
    expect(core.status().configIndex).toBe(2);
  });
});

/** A version 1 segment: a checkpoint with hard state (3, 1, 2) and entries 2/1 "a", 3/2 "bc". */
function versionOneSegment(): Uint8Array {
  const header = new Uint8Array(28);
  const hv = new DataView(header.buffer);
  header.set(
    Uint8Array.from("LRAFTWAL", (c) => c.charCodeAt(0)),
    0,
  );
  hv.setUint32(8, 1, true); // version 1
  hv.setUint32(12, 1, true); // sequence 1
  hv.setUint32(20, 1, true); // checkpoint segment
  hv.setUint32(24, crc32(header.subarray(0, 24)), true);
  const cmds = [text.encode("a"), text.encode("bc")];
  const terms = [2, 3];
  const payloadSize = 20 + 1 + 12 + cmds.reduce((n, c) => n + 12 + c.length, 0);
  const record = new Uint8Array(9 + payloadSize);
  const v = new DataView(record.buffer);
  let at = 8;
  record[at++] = 1; // checkpoint record
  const u53 = (n: number) => {
    v.setUint32(at, n, true);
    v.setUint32(at + 4, 0, true);
    at += 8;
  };
  u53(3);
  v.setInt32(at, 1, true);
  at += 4;
  u53(2);
  record[at++] = 0; // no snapshot
  u53(1); // batch from 1
  v.setUint32(at, 2, true);
  at += 4;
  cmds.forEach((c, i) => {
    u53(terms[i] as number);
    v.setUint32(at, c.length, true);
    at += 4;
    record.set(c, at);
    at += c.length;
  });
  v.setUint32(0, record.length - 8, true);
  v.setUint32(4, crc32(record.subarray(8), crc32(record.subarray(0, 4))), true);
  const out = new Uint8Array(header.length + record.length);
  out.set(header, 0);
  out.set(record, header.length);
  return out;
}
