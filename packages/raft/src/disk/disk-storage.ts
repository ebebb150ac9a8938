import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { Entry } from "../core/types.js";
import { NO_SNAPSHOT_META } from "../core/types.js";
import { applyUpdate, cloneState, emptyState, type MutableState } from "../storage/apply-update.js";
import { encodeRaftState } from "../storage/raft-state-codec.js";
import type { Storage, StorageUpdate, StoredState } from "../storage/storage.js";
import { StorageCorruptError } from "../storage/storage-errors.js";
import { lockDir } from "./dir-lock.js";
import {
  StorageDirectoryError,
  StorageFailedError,
  StorageUsageError,
  WalCorruptError,
} from "./disk-errors.js";
import { asyncIo, type FileIo, type OpenFile, syncIo } from "./file-io.js";
import { type Recovered, recover, type SegmentInfo } from "./recovery.js";
import { misfit, storedEntrySize, varintSize } from "./state-ops.js";
import {
  checkpointPayloadSize,
  encodeCheckpoint,
  encodeHeader,
  encodeUpdate,
  HEADER_SIZE,
  MAX_PAYLOAD,
  SegmentKind,
  segmentName,
  VERSION,
} from "./wal-format.js";

/** Options of {@link DiskStorage.open}. */
export interface DiskStorageOptions {
  /**
   * Size in bytes after which appends go to a new segment file. Default 64 MiB; at least 4096.
   * Segments are deleted whole when a snapshot covers them, so smaller segments give disk back
   * sooner, at the cost of more files.
   */
  readonly segmentBytes?: number;
  /**
   * `"async"` (default): `fs/promises`; the event loop keeps running during a write and its
   * fsync, and persists issued meanwhile are written and synced together by the next fsync.
   * `"sync"`: blocking `fs` calls; persists issued in the same turn of the event loop still share
   * one fsync, but the process waits for it.
   */
  readonly io?: "async" | "sync";
  /**
   * `false` skips every fsync: acknowledged updates survive the process being killed (the
   * kernel holds them) but not a power loss or a kernel crash. For tests and benchmarks only.
   * Default `true`.
   */
  readonly fsync?: boolean;
  /** Create the directory (and its parents) when missing. Default `true`. */
  readonly create?: boolean;
}

/** Counters of a {@link DiskStorage} since it was opened. */
export interface DiskStorageStats {
  /** `persist` calls accepted. */
  readonly persists: number;
  /** Records appended to the log (one per non-empty update without a snapshot). */
  readonly records: number;
  /** Group commits: batches of appended records written and synced together. */
  readonly commits: number;
  /** Checkpoints written (one per update with a snapshot). */
  readonly checkpoints: number;
  /** Bytes written to segment files. */
  readonly bytesWritten: number;
  /** Bytes of a torn final write that recovery dropped when the storage was opened. */
  readonly tornBytesDropped: number;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const MIN_SEGMENT_BYTES = 4096;
const OPTION_KEYS = new Set(["segmentBytes", "io", "fsync", "create"]);

/** One queued write: an appended record (or nothing, for an empty update) or a checkpoint. */
interface Op {
  readonly bytes: Uint8Array | undefined;
  readonly checkpoint: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface ResolvedOptions {
  readonly segmentBytes: number;
  readonly io: "async" | "sync";
  readonly fsync: boolean;
  readonly create: boolean;
}

/**
 * A durable {@link Storage}: a write-ahead log of checksummed records in segment files in a
 * directory of its own (DESIGN principle 5).
 *
 * - `persist` appends one record per update and resolves once the record is on disk (fsync).
 *   Updates persisted while a sync is in flight are written and synced together by the next one
 *   (group commit), in the order `persist` was called.
 * - An update with a snapshot writes a new checkpoint segment holding the whole state (hard
 *   state, snapshot, remaining log) to a temporary file, syncs it, renames it into place and
 *   syncs the directory, so the install is atomic; the segments before it are then deleted.
 * - {@link DiskStorage.open} recovers: it keeps the longest valid prefix when the last record
 *   was torn by a crash, and refuses with a {@link WalCorruptError} (a `StorageCorruptError`)
 *   when the damage is anywhere else.
 *
 * Everything is also kept in memory, so `initialState()` and the sizes are answered without
 * I/O. Node's file system is used here only: `@lab/raft` itself stays free of `node:fs`.
 */
export class DiskStorage implements Storage {
  /** The storage's directory (absolute). */
  readonly dir: string;
  readonly #options: ResolvedOptions;
  readonly #io: FileIo;
  readonly #release: () => Promise<void>;
  #state: MutableState;
  /** Bytes the log adds to the labgob-encoded Raft state (for `raftStateSize`). */
  #logBytes = 0;
  #segments: SegmentInfo[] = [];
  #file: OpenFile | undefined;
  #queue: Op[] = [];
  #inFlight: Op[] = [];
  #loop: Promise<void> | undefined;
  #failure: StorageFailedError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #stats = {
    persists: 0,
    records: 0,
    commits: 0,
    checkpoints: 0,
    bytesWritten: 0,
    tornBytesDropped: 0,
  };

  private constructor(
    dir: string,
    options: ResolvedOptions,
    io: FileIo,
    state: MutableState,
    release: () => Promise<void>,
  ) {
    this.dir = dir;
    this.#options = options;
    this.#io = io;
    this.#state = state;
    this.#release = release;
    this.#logBytes = logBytes(state.entries);
  }

  /**
   * Opens the storage in `dir`, creating the directory if needed, and recovers its state (see
   * {@link DiskStorage}). Rejects with {@link StorageUsageError} for bad options,
   * {@link StorageDirectoryError} when the directory is unusable (missing with `create: false`,
   * not a directory, holding files that are not the storage's, or in use by another storage),
   * and {@link WalCorruptError} when the log is damaged other than by a torn final write.
   */
  static async open(dir: string, options: DiskStorageOptions = {}): Promise<DiskStorage> {
    if (typeof dir !== "string" || dir === "") {
      throw new StorageUsageError(
        `DiskStorage.open: dir must be a non-empty path, got ${show(dir)}`,
      );
    }
    const resolved = resolveOptions(options);
    const abs = path.resolve(dir);
    await prepareDir(abs, resolved.create);
    const release = await lockDir(abs);
    try {
      let recovered: Recovered;
      try {
        recovered = await recover(abs);
      } catch (error) {
        if (error instanceof StorageDirectoryError || error instanceof WalCorruptError) throw error;
        throw new StorageDirectoryError(`cannot read ${abs}: ${String(error)}`, abs, {
          cause: error,
        });
      }
      const policy = { durable: resolved.fsync };
      const io = resolved.io === "sync" ? syncIo(policy) : asyncIo(policy);
      const storage = new DiskStorage(abs, resolved, io, recovered.state, release);
      try {
        await storage.#start(recovered);
      } catch (error) {
        await storage.#file?.close().catch(() => {});
        throw error;
      }
      return storage;
    } catch (error) {
      await release();
      throw error;
    }
  }

  async #start(recovered: Recovered): Promise<void> {
    this.#stats.tornBytesDropped = recovered.tornBytes;
    // First the leftovers (older segments, temporary files): a new segment may reuse a name.
    for (const name of recovered.obsolete) {
      await this.#io.unlink(path.join(this.dir, name)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      });
    }
    if (recovered.obsolete.length > 0) await this.#io.syncDir(this.dir);
    const last = recovered.segments.at(-1);
    if (last === undefined) {
      await this.#newSegment(SegmentKind.checkpoint, encodeCheckpoint(emptyState()));
      return;
    }
    this.#segments = recovered.segments;
    if (last.version !== VERSION) {
      // A log of an older format is read, never appended to: start a checkpoint of this one.
      await this.#newSegment(SegmentKind.checkpoint, encodeCheckpoint(recovered.state));
      return;
    }
    this.#file = await this.#io.open(path.join(this.dir, segmentName(last.seq)), "r+");
    if (recovered.tornBytes > 0) {
      // New records must follow the valid prefix, not the torn bytes.
      await this.#file.truncate(last.size);
      await this.#file.sync();
    }
  }

  /** The state persisted so far: what a peer restarting from this directory would read. */
  initialState(): StoredState {
    return cloneState(this.#state);
  }

  /**
   * Makes `update` durable (semantics in {@link StorageUpdate}). It is applied to the state at
   * once, in call order; the promise resolves when its bytes, and those of every update before
   * it, are synced to disk. Throws {@link StorageUsageError} for a malformed update or after
   * `close()`, `StorageCorruptError` for an update whose truncation point lies outside the
   * stored log (nothing is changed then); rejects with {@link StorageFailedError} when the disk
   * fails.
   */
  persist(update: StorageUpdate): Promise<void> {
    if (this.#closed) throw new StorageUsageError(`DiskStorage(${this.dir}) is closed`);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    checkUpdate(update);
    const why = misfit(this.#state, update);
    if (why !== undefined) throw new StorageCorruptError(why);
    this.#stats.persists++;
    if (update.snapshot !== undefined) {
      const next = cloneState(this.#state);
      applyUpdate(next, update);
      if (checkpointPayloadSize(next) > MAX_PAYLOAD) {
        throw new StorageUsageError("the state with this snapshot exceeds 4 GiB, a record's limit");
      }
      const bytes = encodeCheckpoint(next);
      this.#state = next;
      this.#logBytes = logBytes(next.entries);
      return this.#enqueue(bytes, true);
    }
    const { hardState, entries } = update;
    if (hardState === undefined && entries === undefined) return this.#enqueue(undefined, false);
    const bytes = encodeUpdate(hardState, entries);
    if (entries !== undefined) {
      const base = (this.#state.snapshot?.meta.index ?? 0) + 1;
      const kept = this.#state.entries;
      for (let i = entries.from - base; i < kept.length; i++) {
        this.#logBytes -= storedEntrySize(kept[i] as Entry);
      }
      this.#logBytes += logBytes(entries.entries);
    }
    applyUpdate(this.#state, update);
    return this.#enqueue(bytes, false);
  }

  #enqueue(bytes: Uint8Array | undefined, checkpoint: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ bytes, checkpoint, resolve, reject });
      // Start on a microtask, so that persists issued in the same turn share the first sync.
      this.#loop ??= Promise.resolve().then(() => this.#flush());
    });
  }

  /** Writes queued ops until none are left: consecutive appends as one write and one sync. */
  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const head = this.#queue[0] as Op;
        if (head.checkpoint) {
          this.#inFlight = this.#queue.splice(0, 1);
          await this.#newSegment(SegmentKind.checkpoint, head.bytes as Uint8Array);
          this.#stats.checkpoints++;
        } else {
          let n = 1;
          while (n < this.#queue.length && !(this.#queue[n] as Op).checkpoint) n++;
          this.#inFlight = this.#queue.splice(0, n);
          await this.#append(this.#inFlight);
        }
        const done = this.#inFlight;
        this.#inFlight = [];
        for (const op of done) op.resolve();
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#loop = undefined;
    }
  }

  async #append(batch: readonly Op[]): Promise<void> {
    let size = 0;
    let records = 0;
    for (const op of batch) {
      if (op.bytes === undefined) continue;
      size += op.bytes.length;
      records++;
    }
    if (size === 0) return; // only empty updates: durable once everything before them is
    const current = this.#segments.at(-1) as SegmentInfo;
    if (current.size > HEADER_SIZE && current.size + size > this.#options.segmentBytes) {
      await this.#newSegment(SegmentKind.continuation, undefined);
    }
    let data: Uint8Array;
    if (records === 1) {
      data = batch.find((op) => op.bytes !== undefined)?.bytes as Uint8Array;
    } else {
      data = new Uint8Array(size);
      let at = 0;
      for (const op of batch) {
        if (op.bytes === undefined) continue;
        data.set(op.bytes, at);
        at += op.bytes.length;
      }
    }
    const segment = this.#segments.at(-1) as SegmentInfo;
    const file = this.#file as OpenFile;
    await file.write(data, segment.size);
    segment.size += size;
    this.#stats.bytesWritten += size;
    await file.sync();
    this.#stats.records += records;
    this.#stats.commits++;
  }

  /**
   * Starts segment `last + 1`: written whole to a temporary file, synced, renamed into place,
   * directory synced. A checkpoint segment then makes every earlier segment obsolete.
   */
  async #newSegment(kind: SegmentKind, first: Uint8Array | undefined): Promise<void> {
    const seq = (this.#segments.at(-1)?.seq ?? 0) + 1;
    const final = path.join(this.dir, segmentName(seq));
    const temp = `${final}.tmp`;
    const header = encodeHeader(seq, kind);
    const body = first === undefined ? header : concat(header, first);
    const out = await this.#io.open(temp, "w");
    try {
      await out.write(body, 0);
      await out.sync();
    } finally {
      await out.close();
    }
    await this.#io.rename(temp, final);
    await this.#io.syncDir(this.dir);
    const file = await this.#io.open(final, "r+");
    await this.#file?.close();
    this.#file = file;
    this.#stats.bytesWritten += body.length;
    const older = this.#segments;
    this.#segments = [...older, { seq, version: VERSION, size: body.length }];
    if (kind === SegmentKind.checkpoint && older.length > 0) {
      for (const s of older) await this.#io.unlink(path.join(this.dir, segmentName(s.seq)));
      await this.#io.syncDir(this.dir);
      this.#segments = this.#segments.slice(older.length);
    }
  }

  #fail(error: unknown): void {
    const failure =
      error instanceof StorageFailedError
        ? error
        : new StorageFailedError(
            `DiskStorage(${this.dir}): ${error instanceof Error ? error.message : String(error)}; the storage accepts no more writes, reopen it to recover`,
            { cause: error },
          );
    this.#failure ??= failure;
    const pending = [...this.#inFlight, ...this.#queue];
    this.#inFlight = [];
    this.#queue = [];
    for (const op of pending) op.reject(this.#failure);
  }

  /**
   * Bytes of the Raft state (hard state and log) in the course's labgob encoding: the same
   * figure `MemoryStorage` and `PersisterStorage` report, so a service's `maxraftstate` check
   * behaves the same on every storage. See {@link DiskStorage.diskBytes} for the files' size.
   */
  raftStateSize(): number {
    const header =
      encodeRaftState({
        hardState: this.#state.hardState,
        snapshot: this.#state.snapshot?.meta ?? NO_SNAPSHOT_META,
        entries: [],
      }).length - 1;
    const body = header + this.#logBytes;
    return varintSize(body) + body;
  }

  /** Bytes of the stored snapshot's data (0 without a snapshot). */
  snapshotSize(): number {
    return this.#state.snapshot?.data.length ?? 0;
  }

  /** Bytes of the live segment files: what the log occupies on disk. */
  diskBytes(): number {
    let total = 0;
    for (const s of this.#segments) total += s.size;
    return total;
  }

  /** Counters since the storage was opened (a copy). */
  stats(): DiskStorageStats {
    return { ...this.#stats };
  }

  /**
   * Waits for the writes in flight, closes the files and releases the directory's lock.
   * Later `persist` calls throw {@link StorageUsageError}; `initialState()` and the sizes still
   * answer. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      while (this.#loop !== undefined) await this.#loop;
      try {
        await this.#file?.close();
      } finally {
        this.#file = undefined;
        await this.#release();
      }
    })();
    return this.#closing;
  }
}

function logBytes(entries: readonly Entry[]): number {
  let total = 0;
  for (const e of entries) total += storedEntrySize(e);
  return total;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null)
    return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}

function resolveOptions(options: DiskStorageOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new StorageUsageError(
      `DiskStorage.open: options must be an object, got ${show(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new StorageUsageError(
        `DiskStorage.open: unknown option ${JSON.stringify(key)} (known: ${[...OPTION_KEYS].join(", ")})`,
      );
    }
  }
  const {
    segmentBytes = DEFAULT_SEGMENT_BYTES,
    io = "async",
    fsync = true,
    create = true,
  } = options;
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES) {
    throw new StorageUsageError(
      `DiskStorage.open: segmentBytes must be an integer >= ${MIN_SEGMENT_BYTES}, got ${show(segmentBytes)}`,
    );
  }
  if (io !== "async" && io !== "sync") {
    throw new StorageUsageError(`DiskStorage.open: io must be "async" or "sync", got ${show(io)}`);
  }
  if (typeof fsync !== "boolean") {
    throw new StorageUsageError(`DiskStorage.open: fsync must be a boolean, got ${show(fsync)}`);
  }
  if (typeof create !== "boolean") {
    throw new StorageUsageError(`DiskStorage.open: create must be a boolean, got ${show(create)}`);
  }
  return { segmentBytes, io, fsync, create };
}

async function prepareDir(dir: string, create: boolean): Promise<void> {
  if (create) {
    try {
      const made = await fsp.mkdir(dir, { recursive: true });
      // A new directory's own entry must reach the disk too.
      if (made !== undefined && process.platform !== "win32") {
        const parent = await fsp.open(path.dirname(dir), "r");
        try {
          await parent.sync();
        } finally {
          await parent.close();
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StorageDirectoryError(`cannot create ${dir}: ${String(error)}`, dir, {
          cause: error,
        });
      }
    }
  }
  let isDir: boolean;
  try {
    isDir = (await fsp.stat(dir)).isDirectory();
  } catch (error) {
    throw new StorageDirectoryError(
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? `${dir} does not exist (pass create: true to create it)`
        : `cannot use ${dir}: ${String(error)}`,
      dir,
      { cause: error },
    );
  }
  if (!isDir) throw new StorageDirectoryError(`${dir} is not a directory`, dir);
}

function isIndex(n: unknown, min: number): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= min;
}

/** Validates an update's shape at the boundary; throws StorageUsageError. */
function checkUpdate(update: StorageUpdate): void {
  const bad = (what: string): never => {
    throw new StorageUsageError(`DiskStorage.persist: ${what}`);
  };
  if (typeof update !== "object" || update === null)
    bad(`update must be an object, got ${show(update)}`);
  const { hardState, snapshot, entries } = update;
  if (hardState !== undefined) {
    if (!isIndex(hardState.term, 0)) bad(`hardState.term is ${show(hardState.term)}`);
    if (
      hardState.votedFor !== null &&
      !(isIndex(hardState.votedFor, 0) && hardState.votedFor <= 0x7fff_ffff)
    ) {
      bad(`hardState.votedFor is ${show(hardState.votedFor)}, expected a peer id or null`);
    }
    if (!isIndex(hardState.commit, 0)) bad(`hardState.commit is ${show(hardState.commit)}`);
  }
  if (snapshot !== undefined) {
    if (!isIndex(snapshot.meta?.index, 0))
      bad(`snapshot.meta.index is ${show(snapshot.meta?.index)}`);
    if (!isIndex(snapshot.meta.term, 0)) bad(`snapshot.meta.term is ${show(snapshot.meta.term)}`);
    if (!(snapshot.data instanceof Uint8Array)) bad("snapshot.data is not a Uint8Array");
  }
  if (entries !== undefined) {
    if (!isIndex(entries.from, 1))
      bad(`entries.from is ${show(entries.from)}, expected an index >= 1`);
    if (!Array.isArray(entries.entries)) bad("entries.entries is not an array");
    let bytes = 0;
    entries.entries.forEach((e, i) => {
      if (e?.index !== entries.from + i) {
        bad(
          `entries.entries[${i}] has index ${show(e?.index)}, expected ${entries.from + i} (entries follow entries.from without gaps)`,
        );
      }
      if (!isIndex(e.term, 0)) bad(`entries.entries[${i}].term is ${show(e.term)}`);
      if (!(e.command instanceof Uint8Array))
        bad(`entries.entries[${i}].command is not a Uint8Array`);
      bytes += 12 + e.command.length;
    });
    if (bytes + 40 > MAX_PAYLOAD) bad("the update exceeds 4 GiB, a record's limit");
  }
}
