import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryTracer } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import {
  directoryArtifactWriter,
  findKvsrvScenario,
  KvsrvHarness,
  kvsrvScenarios,
  runKvsrvScenario,
  ScenarioFailure,
} from "../src/testing/index.js";
import { noDuplicateDetection } from "./fixtures/buggy-servers.js";

describe("KvsrvHarness", () => {
  it("records every clerk call as a porcupine operation in virtual ms", async () => {
    const h = new KvsrvHarness({ seed: 3, unreliable: true });
    await h.run(async () => {
      const a = h.makeClerk();
      const b = h.makeClerk();
      await a.put("k", "1");
      await h.sim.sleep(5);
      expect(await b.append("k", "2")).toBe("1");
      expect(await a.get("k")).toBe("12");
      const silent = h.makeClerk({ record: false });
      await silent.put("k", "3");
    });
    expect(h.history.map((op) => [op.clientId, op.input, op.output])).toEqual([
      [0, { op: "put", key: "k", value: "1" }, { type: "ok" }],
      [1, { op: "append", key: "k", value: "2" }, { type: "ok", value: "1" }],
      [0, { op: "get", key: "k" }, { type: "ok", value: "12" }],
    ]);
    const [put, append] = h.history;
    expect(put!.call).toBe(0);
    expect(put!.return).toBeGreaterThanOrEqual(put!.call);
    expect(append!.call).toBeGreaterThanOrEqual(put!.return + 5);
    h.checkLinearizable();
    expect(h.notes).toEqual([]);
  });

  it("records an operation cut off by deleteClerk as never returning", async () => {
    const h = new KvsrvHarness({ seed: 1 });
    await h.run(async () => {
      const ck = h.makeClerk();
      h.net.enable(ck.endName, false);
      const pending = ck.put("k", "v");
      await h.sim.sleep(10);
      h.deleteClerk(ck);
      await expect(pending).rejects.toMatchObject({ code: "LAB_KV_CLERK_CLOSED" });
    });
    expect(h.history).toEqual([
      {
        clientId: 0,
        input: { op: "put", key: "k", value: "v" },
        call: 0,
        output: { type: "unknown" },
        return: Number.POSITIVE_INFINITY,
      },
    ]);
    h.checkLinearizable();
  });

  it("records nothing for a call the clerk refused", async () => {
    const h = new KvsrvHarness({ seed: 1 });
    await h.run(async () => {
      const ck = h.makeClerk();
      await expect(ck.put("k", "\uDC00")).rejects.toMatchObject({ code: "LAB_KV_USAGE" });
      const first = ck.put("k", "v");
      await expect(ck.get("k")).rejects.toMatchObject({ code: "LAB_KV_CLERK_BUSY" });
      await first;
    });
    expect(h.history.map((op) => op.input.op)).toEqual(["put"]);
  });

  it("turns a check, a thrown error or a virtual timeout into a ScenarioFailure with the seed", async () => {
    const h = new KvsrvHarness({ seed: 99 });
    await expect(h.run(async () => h.check(false, "boom"))).rejects.toThrow(
      "boom (seed 99, at 0 ms of virtual time)",
    );
    await expect(
      h.run(async () => {
        throw new Error("oops");
      }),
    ).rejects.toBeInstanceOf(ScenarioFailure);
    const stuck = h.run(() => h.sim.sleep(10_000), { timeoutMs: 500 });
    await expect(stuck).rejects.toMatchObject({ code: "LAB_KV_SCENARIO_FAILURE", seed: 99 });
  });

  it("fails a non-linearizable history and writes its HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsrv-report-"));
    const scenario = findKvsrvScenario("UnreliableOneKey")!;
    // Without duplicate detection, some retried append is applied twice.
    const failures: string[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const result = await runKvsrvScenario(scenario, {
        seed,
        server: noDuplicateDetection,
        artifacts: directoryArtifactWriter(dir),
      });
      if (result.failure !== undefined) failures.push(result.failure.message);
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.join("\n")).toMatch(/seed \d+, at \d+ ms of virtual time/);
    // The scenario's own checks usually see the duplicate first; porcupine catches it when the
    // histories are checked directly.
    const h = new KvsrvHarness({
      seed: 4,
      unreliable: true,
      server: noDuplicateDetection,
      artifacts: directoryArtifactWriter(dir),
      name: "no-dedup",
    });
    await h.run(async () => {
      const clerks = [h.makeClerk(), h.makeClerk(), h.makeClerk()];
      await Promise.all(
        clerks.map(async (ck, i) => {
          for (let j = 0; j < 30; j++) await ck.append("k", `${i}.${j} `);
        }),
      );
    });
    let caught: unknown;
    try {
      h.checkLinearizable();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ScenarioFailure);
    expect((caught as Error).message).toMatch(
      /history is not linearizable: the operations on key "k" have no valid order \(HTML report: .*no-dedup-seed-4\.html\)/,
    );
    expect(readdirSync(dir)).toContain("no-dedup-seed-4.html");
    expect(readFileSync(join(dir, "no-dedup-seed-4.html"), "utf8")).toContain("<!doctype html>");
  });

  it("catches a server without duplicate detection in the unreliable scenarios", async () => {
    for (const name of ["Unreliable", "UnreliableOneKey"]) {
      const result = await runKvsrvScenario(findKvsrvScenario(name)!, {
        seed: 1,
        server: noDuplicateDetection,
      });
      expect(result.ok, name).toBe(false);
    }
  });

  it("replays a scenario byte for byte from its seed", async () => {
    const traceHash = async (seed: number) => {
      const tracer = new MemoryTracer();
      await runKvsrvScenario(findKvsrvScenario("Unreliable")!, { seed, tracer });
      return createHash("sha256").update(tracer.toJsonLines()).digest("hex");
    };
    const [a, b, c] = [await traceHash(5), await traceHash(5), await traceHash(6)];
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it("lists every kvsrv scenario of the course and finds them by course name", () => {
    expect(kvsrvScenarios.map((s) => s.name)).toEqual([
      "Basic",
      "Concurrent",
      "Unreliable",
      "UnreliableOneKey",
      "MemGet",
      "MemPut",
      "MemAppend",
      "MemPutManyClients",
      "MemGetManyClients",
      "MemManyAppends",
    ]);
    expect(findKvsrvScenario("TestUnreliableOneKey2")?.name).toBe("UnreliableOneKey");
    expect(findKvsrvScenario("memget")?.name).toBe("MemGet");
    expect(findKvsrvScenario("nope")).toBeUndefined();
  });

  it("refuses to run a memory scenario without a heap probe", async () => {
    await expect(runKvsrvScenario(findKvsrvScenario("MemPut")!, { seed: 1 })).rejects.toMatchObject(
      { code: "LAB_KV_HEAP_PROBE_UNAVAILABLE" },
    );
  });
});
