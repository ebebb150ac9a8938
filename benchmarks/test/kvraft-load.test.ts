import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KvRaftClerk } from "@lab/kvraft";
import { connectKvRaft } from "@lab/kvraft/server";
import { LocalTransport, RealClock, RpcServer, SeededRandom } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import { addPlainMapService } from "../src/kvraft/plain-map.js";
import { bundleServer, ProcessGroup } from "../src/kvraft/server-processes.js";
import {
  closedLoop,
  KEY_BYTES,
  KEY_COUNT,
  keyAt,
  type LoadClerk,
  percentile,
  preload,
  VALUE_BYTES,
  valueFor,
} from "../src/kvraft/workload.js";

/** A clerk on a plain map in this process, counting what it was asked. */
function countingClerks(n: number) {
  const transport = new LocalTransport();
  transport.serve("map", addPlainMapService(new RpcServer()));
  const counts = { get: 0, put: 0 };
  const clock = new RealClock();
  const random = new SeededRandom(1);
  const clerks: LoadClerk[] = Array.from({ length: n }, () => {
    const clerk = new KvRaftClerk([transport.end("map")], { clock, random });
    return {
      get: (key) => {
        counts.get++;
        return clerk.get(key);
      },
      put: (key, value) => {
        counts.put++;
        return clerk.put(key, value);
      },
    };
  });
  return { clerks, counts, close: () => transport.close() };
}

describe("kvraft suite: workload", () => {
  it("keys and values are 64 bytes, distinct", () => {
    expect(keyAt(0)).toHaveLength(KEY_BYTES);
    expect(keyAt(KEY_COUNT - 1)).toHaveLength(KEY_BYTES);
    expect(keyAt(1)).not.toBe(keyAt(2));
    expect(valueFor(255, 123_456)).toHaveLength(VALUE_BYTES);
    expect(valueFor(1, 2)).not.toBe(valueFor(2, 1));
  });

  it("percentile is the nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("preload writes every key once; the closed loop keeps the mix and counts only its window", async () => {
    const { clerks, counts, close } = countingClerks(4);
    await preload(clerks);
    expect(counts).toEqual({ get: 0, put: KEY_COUNT });
    expect(await clerks[0]?.get(keyAt(KEY_COUNT - 1))).toHaveLength(VALUE_BYTES);
    counts.get = 0;
    counts.put = 0;
    const result = await closedLoop(
      clerks,
      { name: "90% reads", readFraction: 0.9 },
      {
        warmupMs: 50,
        measureMs: 200,
        seed: 3,
      },
    );
    const issued = counts.get + counts.put;
    expect(counts.get / issued).toBeGreaterThan(0.85);
    expect(counts.get / issued).toBeLessThan(0.95);
    // The warm-up's operations and those still running at the end are not counted.
    expect(result.operations).toBeGreaterThan(0);
    expect(result.operations).toBeLessThan(issued);
    expect(result.opsPerSecond).toBeCloseTo(result.operations / 0.2, 6);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    close();
  });
});

describe("kvraft suite: server processes", () => {
  it("a bundled map server serves clerks over TCP; dispose kills it and removes tracked dirs", {
    timeout: 60_000,
  }, async () => {
    const group = new ProcessGroup();
    const scratch = group.track(await mkdtemp(join(tmpdir(), "bench-kvraft-test-")));
    const file = await bundleServer(join(scratch, "bundle"));
    const map = await group.start(file, { kind: "map" });
    expect(map.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const connection = connectKvRaft([map.address]);
    const clerk = connection.clerk();
    await clerk.put("k", "v");
    expect(await clerk.get("k")).toBe("v");
    expect(await clerk.get("missing")).toBe("");
    await connection.close();
    const exited = new Promise((resolve) => map.child.once("exit", resolve));
    await group.dispose();
    expect(await exited).toBeNull(); // killed by a signal, not exited with a code
    expect(map.child.signalCode).toBe("SIGKILL");
    expect(existsSync(scratch)).toBe(false);
  });

  it("a server that cannot start is reported with the error it printed", {
    timeout: 60_000,
  }, async () => {
    const group = new ProcessGroup();
    const scratch = group.track(await mkdtemp(join(tmpdir(), "bench-kvraft-test-")));
    const file = await bundleServer(join(scratch, "bundle"));
    // id 5 of a 1-server cluster: RaftUsageError, printed as an error event.
    await expect(
      group.start(file, { kind: "kvraft", id: 5, addresses: ["127.0.0.1:1"] }),
    ).rejects.toThrow(/failed to start: LAB_RAFT_USAGE/);
    await group.dispose();
  });
});
