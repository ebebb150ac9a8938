import type { Configuration } from "../core/configuration.js";
import { configurationProblem } from "../core/configuration.js";
import type { Entry, HardState, Snapshot, SnapshotMeta } from "../core/types.js";
import { crc32 } from "./crc32.js";

/*
 * The on-disk format of the write-ahead log. All integers are little-endian; "u53" is a u64
 * whose value must be a safe JavaScript integer.
 *
 * A segment file `wal-<16-digit sequence>.log` is a header, then records:
 *
 *   header  (28 bytes): magic "LRAFTWAL" | version u32 | sequence u53 | kind u32 | crc32 u32
 *                       (the crc covers the 24 bytes before it)
 *   record  (9 + n):    length n u32 | crc32 u32 | type u8 | payload (n - 1 bytes)
 *                       (the crc covers the length, the type and the payload)
 *
 * Segment kinds: a CHECKPOINT segment starts with one CHECKPOINT record holding the whole state
 * (hard state, snapshot with its data, the entries after it); a CONTINUATION segment continues
 * the one before it. Both are written whole to a `.tmp` file, synced and renamed into place, so
 * a segment's header and a checkpoint record are never torn. Only UPDATE records are appended.
 *
 *   CHECKPOINT payload: hard state | has-snapshot u8
 *                       | [index u53 | term u53 | config | size u32 | data] | entry batch
 *   UPDATE payload:     flags u8 (1: hard state, 2: entry batch) | [hard state] | [entry batch]
 *   hard state (20):    term u53 | votedFor i32 (-1: none) | commit u53
 *   entry batch:        from u53 | count u32 | count x (term u53 | kind u8 | size u32 | command)
 *   config:             has-config u8 | [voters u32 | voters x u53 | learners u32 | learners x u53]
 *
 * Entry kinds: 0 a normal entry, 1 a config entry (membership change). Version 1 of the format
 * had neither the entry kind nor the snapshot's config; it is still read (every entry normal,
 * no config), and a storage opened on a version 1 log writes a version 2 checkpoint first.
 *
 * An UPDATE's entry batch truncates the log at `from`, then appends its entries, which have
 * indexes from, from + 1, ... A CHECKPOINT's batch is the whole log after the snapshot.
 */

/** Segment file magic. */
export const MAGIC = Uint8Array.from("LRAFTWAL", (c) => c.charCodeAt(0));
/** Format version written in every segment header. */
export const VERSION = 2;
/** The oldest format version still read. */
export const OLDEST_VERSION = 1;
/** Bytes of a segment header. */
export const HEADER_SIZE = 28;
/** Bytes of a record's length, crc and type. */
export const RECORD_OVERHEAD = 9;
/** Largest record payload, in bytes (the u32 length counts the type byte too). */
export const MAX_PAYLOAD = 0xffff_ffff - 1;

/** Segment kinds, in the header. */
export const SegmentKind = { checkpoint: 1, continuation: 2 } as const;
/** A segment kind. */
export type SegmentKind = (typeof SegmentKind)[keyof typeof SegmentKind];

/** Record types. */
export const RecordType = { checkpoint: 1, update: 2 } as const;

const UPDATE_HARD_STATE = 1;
const UPDATE_ENTRIES = 2;
const HARD_STATE_SIZE = 20;
const TWO_32 = 0x1_0000_0000;

/** File name of segment `seq`. */
export function segmentName(seq: number): string {
  return `wal-${String(seq).padStart(16, "0")}.log`;
}

/** The sequence number in a segment file name, or undefined for any other name. */
export function parseSegmentName(name: string): number | undefined {
  const m = /^wal-(\d{16})\.log$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** True for the temporary file a segment is written to before its rename. */
export function isTempSegmentName(name: string): boolean {
  return /^wal-\d{16}\.log\.tmp$/.test(name);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function setU53(v: DataView, at: number, n: number): void {
  const lo = n % TWO_32;
  v.setUint32(at, lo, true);
  v.setUint32(at + 4, (n - lo) / TWO_32, true);
}

/** Encodes a segment header. */
export function encodeHeader(seq: number, kind: SegmentKind): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE);
  const v = view(out);
  out.set(MAGIC, 0);
  v.setUint32(8, VERSION, true);
  setU53(v, 12, seq);
  v.setUint32(20, kind, true);
  v.setUint32(24, crc32(out.subarray(0, 24)), true);
  return out;
}

/** A decoded segment header, or why the bytes are not one. */
export type HeaderResult =
  | {
      readonly ok: true;
      readonly seq: number;
      readonly kind: SegmentKind;
      readonly version: number;
    }
  | { readonly ok: false; readonly reason: string };

/** Decodes the header at the start of `file`. */
export function decodeHeader(file: Uint8Array): HeaderResult {
  if (file.length < HEADER_SIZE) {
    return { ok: false, reason: `${file.length} bytes, shorter than a segment header` };
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (file[i] !== MAGIC[i]) return { ok: false, reason: "not a write-ahead log segment (magic)" };
  }
  const v = view(file);
  if (v.getUint32(24, true) !== crc32(file.subarray(0, 24))) {
    return { ok: false, reason: "segment header checksum mismatch" };
  }
  const version = v.getUint32(8, true);
  if (version < OLDEST_VERSION || version > VERSION) {
    return { ok: false, reason: `unsupported format version ${version}` };
  }
  const seq = readU53(v, 12);
  const kind = v.getUint32(20, true);
  if (seq === undefined) return { ok: false, reason: "sequence number out of range" };
  if (kind !== SegmentKind.checkpoint && kind !== SegmentKind.continuation) {
    return { ok: false, reason: `unknown segment kind ${kind}` };
  }
  return { ok: true, seq, kind, version };
}

function readU53(v: DataView, at: number): number | undefined {
  const hi = v.getUint32(at + 4, true);
  if (hi > 0x1f_ffff) return undefined;
  return hi * TWO_32 + v.getUint32(at, true);
}

/** Bytes of an entry batch. */
function batchSize(entries: readonly Entry[]): number {
  let size = 12;
  for (const e of entries) size += 13 + e.command.length;
  return size;
}

/** Bytes of a snapshot's config block. */
function configSize(config: Configuration | undefined): number {
  return config === undefined ? 1 : 9 + 8 * (config.voters.length + config.learners.length);
}

/** A record being written: payload space after the 9 bytes of framing. */
class RecordWriter {
  readonly bytes: Uint8Array;
  readonly v: DataView;
  at = RECORD_OVERHEAD;

  constructor(type: number, payloadSize: number) {
    this.bytes = new Uint8Array(RECORD_OVERHEAD + payloadSize);
    this.v = view(this.bytes);
    this.bytes[8] = type;
  }

  u8(n: number): void {
    this.bytes[this.at++] = n;
  }
  u32(n: number): void {
    this.v.setUint32(this.at, n, true);
    this.at += 4;
  }
  i32(n: number): void {
    this.v.setInt32(this.at, n, true);
    this.at += 4;
  }
  u53(n: number): void {
    setU53(this.v, this.at, n);
    this.at += 8;
  }
  raw(data: Uint8Array): void {
    this.bytes.set(data, this.at);
    this.at += data.length;
  }
  hardState(hs: HardState): void {
    this.u53(hs.term);
    this.i32(hs.votedFor ?? -1);
    this.u53(hs.commit);
  }
  batch(from: number, entries: readonly Entry[]): void {
    this.u53(from);
    this.u32(entries.length);
    for (const e of entries) {
      this.u53(e.term);
      this.u8(e.kind === "config" ? 1 : 0);
      this.u32(e.command.length);
      this.raw(e.command);
    }
  }

  config(config: Configuration | undefined): void {
    this.u8(config === undefined ? 0 : 1);
    if (config === undefined) return;
    this.u32(config.voters.length);
    for (const id of config.voters) this.u53(id);
    this.u32(config.learners.length);
    for (const id of config.learners) this.u53(id);
  }

  /** Fills in length and checksum; returns the record's bytes. */
  finish(): Uint8Array {
    const length = this.bytes.length - 8;
    this.v.setUint32(0, length, true);
    const crc = crc32(this.bytes.subarray(8), crc32(this.bytes.subarray(0, 4)));
    this.v.setUint32(4, crc, true);
    return this.bytes;
  }
}

/** Encodes an UPDATE record (an update without a snapshot). */
export function encodeUpdate(
  hardState: HardState | undefined,
  batch: { readonly from: number; readonly entries: readonly Entry[] } | undefined,
): Uint8Array {
  const size =
    1 + (hardState !== undefined ? HARD_STATE_SIZE : 0) + (batch ? batchSize(batch.entries) : 0);
  const w = new RecordWriter(RecordType.update, size);
  w.u8((hardState !== undefined ? UPDATE_HARD_STATE : 0) | (batch ? UPDATE_ENTRIES : 0));
  if (hardState !== undefined) w.hardState(hardState);
  if (batch) w.batch(batch.from, batch.entries);
  return w.finish();
}

/** The whole stored state, as a CHECKPOINT record holds it. */
export interface CheckpointState {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | undefined;
  readonly entries: readonly Entry[];
}

/** Payload bytes of a CHECKPOINT record for `state` (to check it fits a record). */
export function checkpointPayloadSize(state: CheckpointState): number {
  return (
    HARD_STATE_SIZE +
    1 +
    (state.snapshot
      ? 20 + configSize(state.snapshot.meta.config) + state.snapshot.data.length
      : 0) +
    batchSize(state.entries)
  );
}

/** Encodes a CHECKPOINT record. */
export function encodeCheckpoint(state: CheckpointState): Uint8Array {
  const w = new RecordWriter(RecordType.checkpoint, checkpointPayloadSize(state));
  w.hardState(state.hardState);
  const snap = state.snapshot;
  w.u8(snap ? 1 : 0);
  if (snap) {
    w.u53(snap.meta.index);
    w.u53(snap.meta.term);
    w.config(snap.meta.config);
    w.u32(snap.data.length);
    w.raw(snap.data);
  }
  w.batch((snap?.meta.index ?? 0) + 1, state.entries);
  return w.finish();
}

/** A record framed and checksummed correctly, or why the bytes at an offset are not one. */
export type FrameResult =
  | { readonly ok: true; readonly type: number; readonly payload: Uint8Array; readonly end: number }
  | { readonly ok: false; readonly reason: string };

/** Reads the record frame at `at` in `file` (checks framing and checksum, not the payload). */
export function readFrame(file: Uint8Array, at: number): FrameResult {
  const left = file.length - at;
  if (left < RECORD_OVERHEAD) {
    return { ok: false, reason: `${left} bytes left, shorter than a record header` };
  }
  const v = view(file);
  const length = v.getUint32(at, true);
  if (length < 1) return { ok: false, reason: "record length 0" };
  if (length > left - 8) {
    return { ok: false, reason: `record of ${length} bytes runs past the end of the file` };
  }
  const end = at + 8 + length;
  const crc = crc32(file.subarray(at + 8, end), crc32(file.subarray(at, at + 4)));
  if (crc !== v.getUint32(at + 4, true)) return { ok: false, reason: "record checksum mismatch" };
  return { ok: true, type: file[at + 8] as number, payload: file.subarray(at + 9, end), end };
}

/**
 * Where the first well-framed record of a known type starts at or after `from`, or undefined.
 * Recovery uses it to tell a torn final write (nothing valid after it) from damage in the middle.
 */
export function findFrameAfter(file: Uint8Array, from: number): number | undefined {
  const v = view(file);
  for (let at = from; at + RECORD_OVERHEAD <= file.length; at++) {
    const length = v.getUint32(at, true);
    if (length < 1 || length > file.length - at - 8) continue;
    const type = file[at + 8];
    if (type !== RecordType.update && type !== RecordType.checkpoint) continue;
    if (readFrame(file, at).ok) return at;
  }
  return undefined;
}

/** A decoded UPDATE record. */
export interface DecodedUpdate {
  readonly hardState: HardState | undefined;
  readonly entries: { readonly from: number; readonly entries: Entry[] } | undefined;
}

/** A decoded CHECKPOINT record. */
export interface DecodedCheckpoint {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | undefined;
  readonly entries: Entry[];
}

/** A payload that does not decode (thrown by the decoders, turned into a WalCorruptError). */
export class PayloadError extends Error {}

class Reader {
  readonly v: DataView;
  at = 0;
  constructor(
    readonly bytes: Uint8Array,
    /** The segment's format version. */
    readonly version: number,
  ) {
    this.v = view(bytes);
  }
  need(n: number, what: string): void {
    if (this.at + n > this.bytes.length) throw new PayloadError(`payload ends inside ${what}`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.at++] as number;
  }
  u32(what: string): number {
    this.need(4, what);
    const n = this.v.getUint32(this.at, true);
    this.at += 4;
    return n;
  }
  u53(what: string): number {
    this.need(8, what);
    const n = readU53(this.v, this.at);
    if (n === undefined) throw new PayloadError(`${what} is not a safe integer`);
    this.at += 8;
    return n;
  }
  /** A copy, so recovered state does not keep a whole segment's buffer alive. */
  bytesCopy(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
  hardState(): HardState {
    const term = this.u53("hard state term");
    this.need(4, "hard state votedFor");
    const votedFor = this.v.getInt32(this.at, true);
    this.at += 4;
    if (votedFor < -1) throw new PayloadError(`votedFor is ${votedFor}`);
    const commit = this.u53("hard state commit");
    return { term, votedFor: votedFor === -1 ? null : votedFor, commit };
  }
  batch(): { from: number; entries: Entry[] } {
    const from = this.u53("batch start");
    if (from < 1) throw new PayloadError("batch starts at index 0");
    const count = this.u32("batch count");
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const term = this.u53("entry term");
      const kind = this.version >= 2 ? this.u8("entry kind") : 0;
      if (kind > 1) throw new PayloadError(`entry ${from + i} has unknown kind ${kind}`);
      const size = this.u32("entry size");
      const command = this.bytesCopy(size, "entry command");
      entries.push(
        kind === 1
          ? { term, index: from + i, command, kind: "config" }
          : { term, index: from + i, command },
      );
    }
    return { from, entries };
  }
  /** A snapshot's config block (none before version 2). */
  config(): Configuration | undefined {
    if (this.version < 2) return undefined;
    const has = this.u8("config flag");
    if (has > 1) throw new PayloadError(`config flag ${has}`);
    if (has === 0) return undefined;
    const voters = this.ids("voters");
    const learners = this.ids("learners");
    const config = { voters, learners };
    const problem = configurationProblem(config);
    if (problem !== undefined) throw new PayloadError(`snapshot configuration: ${problem}`);
    return config;
  }
  ids(what: string): number[] {
    const count = this.u32(`${what} count`);
    this.need(8 * count, what);
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push(this.u53(what));
    return ids;
  }
  end(): void {
    if (this.at !== this.bytes.length) {
      throw new PayloadError(`${this.bytes.length - this.at} stray bytes after the payload`);
    }
  }
}

/** Decodes an UPDATE payload of a segment of format `version`; throws PayloadError. */
export function decodeUpdate(payload: Uint8Array, version: number = VERSION): DecodedUpdate {
  const r = new Reader(payload, version);
  const flags = r.u8("flags");
  if ((flags & ~(UPDATE_HARD_STATE | UPDATE_ENTRIES)) !== 0 || flags === 0) {
    throw new PayloadError(`unknown update flags ${flags}`);
  }
  const hardState = flags & UPDATE_HARD_STATE ? r.hardState() : undefined;
  const entries = flags & UPDATE_ENTRIES ? r.batch() : undefined;
  r.end();
  return { hardState, entries };
}

/** Decodes a CHECKPOINT payload of a segment of format `version`; throws PayloadError. */
export function decodeCheckpoint(
  payload: Uint8Array,
  version: number = VERSION,
): DecodedCheckpoint {
  const r = new Reader(payload, version);
  const hardState = r.hardState();
  const has = r.u8("snapshot flag");
  if (has > 1) throw new PayloadError(`snapshot flag ${has}`);
  let snapshot: Snapshot | undefined;
  if (has === 1) {
    const index = r.u53("snapshot index");
    const term = r.u53("snapshot term");
    const config = r.config();
    const meta: SnapshotMeta = config === undefined ? { index, term } : { index, term, config };
    const size = r.u32("snapshot size");
    snapshot = { meta, data: r.bytesCopy(size, "snapshot data") };
  }
  const batch = r.batch();
  const expected = (snapshot?.meta.index ?? 0) + 1;
  if (batch.from !== expected) {
    throw new PayloadError(`checkpoint log starts at ${batch.from}, expected ${expected}`);
  }
  r.end();
  return { hardState, snapshot, entries: batch.entries };
}
