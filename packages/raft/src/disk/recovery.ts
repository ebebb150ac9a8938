import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { applyUpdate, emptyState, type MutableState } from "../storage/apply-update.js";
import type { StorageUpdate } from "../storage/storage.js";
import { LOCK_NAME } from "./dir-lock.js";
import { StorageDirectoryError, WalCorruptError } from "./disk-errors.js";
import { misfit } from "./state-ops.js";
import {
  decodeCheckpoint,
  decodeHeader,
  decodeUpdate,
  findFrameAfter,
  HEADER_SIZE,
  isTempSegmentName,
  PayloadError,
  parseSegmentName,
  RecordType,
  readFrame,
  SegmentKind,
  segmentName,
} from "./wal-format.js";

/** A live segment after recovery. */
export interface SegmentInfo {
  readonly seq: number;
  /** The segment's format version (an older one is read, never appended to). */
  readonly version: number;
  /** Bytes of the segment that hold valid data (the file is cut to this length). */
  size: number;
}

/** What recovery found in a directory. */
export interface Recovered {
  /** The state every valid record adds up to. */
  readonly state: MutableState;
  /** Live segments, oldest (the checkpoint segment) first; empty for a new directory. */
  readonly segments: SegmentInfo[];
  /**
   * Bytes at the end of the last segment that a torn final write left and recovery drops
   * (the file still holds them until the storage truncates it).
   */
  readonly tornBytes: number;
  /** Files that are no longer needed: segments before the checkpoint, temporary files. */
  readonly obsolete: string[];
}

async function readHeader(file: string): Promise<Uint8Array> {
  const h = await fsp.open(file, "r");
  try {
    const buf = new Uint8Array(HEADER_SIZE);
    const { bytesRead } = await h.read(buf, 0, HEADER_SIZE, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

/** Checks a segment header; returns its kind and format version. */
function checkHeader(
  file: string,
  bytes: Uint8Array,
  seq: number,
): { kind: SegmentKind; version: number } {
  const header = decodeHeader(bytes);
  if (!header.ok) throw new WalCorruptError(file, 0, header.reason);
  if (header.seq !== seq) {
    throw new WalCorruptError(file, 0, `header says segment ${header.seq}, the name ${seq}`);
  }
  return { kind: header.kind, version: header.version };
}

/**
 * Reads the write-ahead log in `dir` (DESIGN principle 5). The newest CHECKPOINT segment is the
 * base; the CONTINUATION segments after it are replayed in order. A record that is torn or fails
 * its checksum at the very end of the last segment is a write the crash interrupted: it and
 * anything after it are dropped (the longest valid prefix is kept). Anything else that does not
 * read back — a bad record with valid records after it, a damaged segment that is not the last,
 * a missing segment, a damaged header or checkpoint, a record that does not fit the state — is
 * a {@link WalCorruptError}. Files that are not the storage's are a {@link StorageDirectoryError}.
 */
export async function recover(dir: string): Promise<Recovered> {
  const listing = await fsp.readdir(dir, { withFileTypes: true });
  const seqs: number[] = [];
  const obsolete: string[] = [];
  const foreign: string[] = [];
  for (const entry of listing) {
    const seq = parseSegmentName(entry.name);
    if (seq !== undefined && entry.isFile()) seqs.push(seq);
    else if (isTempSegmentName(entry.name) && entry.isFile()) obsolete.push(entry.name);
    else if (entry.name !== LOCK_NAME || !entry.isFile()) foreign.push(entry.name);
  }
  if (foreign.length > 0) {
    foreign.sort();
    const shown = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? ", ..." : "");
    throw new StorageDirectoryError(
      `${dir} holds ${foreign.length} file(s) that are not a DiskStorage's (${shown}); give the storage a directory of its own`,
      dir,
    );
  }
  seqs.sort((a, b) => a - b);
  const state = emptyState();
  if (seqs.length === 0) return { state, segments: [], tornBytes: 0, obsolete };

  // The base: the newest checkpoint segment. Segments are renamed into place whole, so every
  // header on the way must read back.
  let baseAt = seqs.length - 1;
  for (; ; baseAt--) {
    if (baseAt < 0) {
      const first = seqs[0] as number;
      throw new WalCorruptError(
        segmentPath(dir, first),
        0,
        "no checkpoint segment: the log's beginning is missing",
      );
    }
    const seq = seqs[baseAt] as number;
    const file = segmentPath(dir, seq);
    if (checkHeader(file, await readHeader(file), seq).kind === SegmentKind.checkpoint) break;
  }
  for (const seq of seqs.slice(0, baseAt)) obsolete.push(segmentName(seq));

  const live = seqs.slice(baseAt);
  const segments: SegmentInfo[] = [];
  let tornBytes = 0;
  for (let i = 0; i < live.length; i++) {
    const seq = live[i] as number;
    const file = segmentPath(dir, seq);
    if (i > 0 && seq !== (live[i - 1] as number) + 1) {
      throw new WalCorruptError(file, 0, `segment ${(live[i - 1] as number) + 1} is missing`);
    }
    const bytes = new Uint8Array(await fsp.readFile(file));
    const { kind, version } = checkHeader(file, bytes, seq);
    const last = i === live.length - 1;
    const end = replaySegment(file, bytes, kind, version, i === 0, last, state);
    tornBytes = bytes.length - end;
    segments.push({ seq, version, size: end });
  }
  return { state, segments, tornBytes, obsolete };
}

/** Replays one segment's records into `state`; returns where its valid records end. */
function replaySegment(
  file: string,
  bytes: Uint8Array,
  kind: SegmentKind,
  version: number,
  isBase: boolean,
  isLast: boolean,
  state: MutableState,
): number {
  if (kind === SegmentKind.continuation && isBase) {
    throw new WalCorruptError(file, 0, "the oldest segment is not a checkpoint");
  }
  let at = HEADER_SIZE;
  let first = true;
  while (at < bytes.length) {
    const frame = readFrame(bytes, at);
    if (!frame.ok) {
      if (first && kind === SegmentKind.checkpoint) {
        throw new WalCorruptError(file, at, `checkpoint record: ${frame.reason}`);
      }
      if (!isLast) {
        throw new WalCorruptError(file, at, `${frame.reason}, in a segment that is not the last`);
      }
      const next = findFrameAfter(bytes, at + 1);
      if (next !== undefined) {
        throw new WalCorruptError(
          file,
          at,
          `${frame.reason}, and a valid record follows at byte ${next}: damage in the middle of the log, not a torn write`,
        );
      }
      return at; // a torn final write: keep the prefix
    }
    const wantCheckpoint = first && kind === SegmentKind.checkpoint;
    if (wantCheckpoint !== (frame.type === RecordType.checkpoint)) {
      throw new WalCorruptError(
        file,
        at,
        wantCheckpoint
          ? `a checkpoint segment starts with a record of type ${frame.type}`
          : `unexpected record type ${frame.type}`,
      );
    }
    try {
      if (frame.type === RecordType.checkpoint) {
        const cp = decodeCheckpoint(frame.payload, version);
        state.hardState = cp.hardState;
        state.snapshot = cp.snapshot;
        state.entries = cp.entries;
      } else {
        const u = decodeUpdate(frame.payload, version);
        const update: StorageUpdate = {
          ...(u.hardState !== undefined ? { hardState: u.hardState } : {}),
          ...(u.entries !== undefined ? { entries: u.entries } : {}),
        };
        const why = misfit(state, update);
        if (why !== undefined) throw new PayloadError(why);
        applyUpdate(state, update);
      }
    } catch (error) {
      if (error instanceof PayloadError) {
        throw new WalCorruptError(file, at, `record does not decode: ${error.message}`);
      }
      throw error;
    }
    first = false;
    at = frame.end;
  }
  if (first && kind === SegmentKind.checkpoint) {
    throw new WalCorruptError(file, at, "checkpoint segment without its checkpoint record");
  }
  return at;
}

function segmentPath(dir: string, seq: number): string {
  return path.join(dir, segmentName(seq));
}
