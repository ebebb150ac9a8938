import type { RaftPeerFactory } from "../../testing/raft-peer.js";
import { UsageError } from "../exit-codes.js";

/**
 * The peer factory of a `--raft` module (one exporting `peerFactory`, a `RaftPeerFactory`), or
 * undefined for this package's Raft when `url` is undefined. Workers load the same URL.
 */
export async function loadPeerFactory(
  url: string | undefined,
): Promise<RaftPeerFactory | undefined> {
  if (url === undefined) return undefined;
  let module: { peerFactory?: unknown };
  try {
    module = (await import(url)) as { peerFactory?: unknown };
  } catch (cause) {
    throw new UsageError(`--raft: cannot load ${url}: ${(cause as Error).message}`, { cause });
  }
  if (typeof module.peerFactory !== "function") {
    throw new UsageError(
      `--raft: ${url} must export peerFactory, a function (args) => peer with start, getState, snapshot, kill and register`,
    );
  }
  return module.peerFactory as RaftPeerFactory;
}
