import { join } from "node:path";
import { codecs } from "@lab/labgob";
import { RealClock, SeededRandom } from "@lab/labrpc";
import { afterAll, describe, expect, it } from "vitest";
import { DiskStorage } from "../../src/disk/index.js";
import { type ApplyMsg, makeRaft, type Raft } from "../../src/index.js";
import { TmpDirs } from "./tmp-dirs.js";

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

/** A one-peer Raft (it elects itself) on a DiskStorage in `dir`, on real time. */
async function peer(dir: string, applied: string[]) {
  const storage = await DiskStorage.open(dir);
  const raft: Raft<string> = makeRaft<string>({
    peers: [undefined],
    me: 0,
    persister: storage,
    apply: (msg: ApplyMsg<string>) => {
      if (msg.commandValid) applied.push(`${msg.commandIndex}:${msg.command}`);
    },
    clock: new RealClock(),
    random: new SeededRandom(1),
    codec: codecs.string,
    tickMs: 2,
  });
  return { storage, raft };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("a Raft peer on DiskStorage", () => {
  it("commits through the disk and, restarted on the same directory, has its log back", async () => {
    const dir = join(dirs.make(), "peer-0");
    const applied: string[] = [];
    const first = await peer(dir, applied);
    await until(() => first.raft.getState().isLeader, "leadership");
    for (const c of ["a", "b", "c"]) first.raft.start(c);
    await until(() => applied.length === 3, "three applies");
    const term = first.raft.getState().term;
    first.raft.kill();
    await first.storage.close();

    const again: string[] = [];
    const second = await peer(dir, again);
    const state = second.storage.initialState();
    expect(state.entries.map((e) => codecs.string.decode(e.command))).toEqual(["a", "b", "c"]);
    expect(state.hardState.term).toBeGreaterThanOrEqual(term);
    await until(() => second.raft.getState().isLeader, "leadership after the restart");
    second.raft.start("d");
    await until(() => again.some((m) => m.endsWith(":d")), "d applied");
    // The restarted peer applies its log from the disk again, in order, then the new command.
    expect(again).toEqual(["1:a", "2:b", "3:c", "4:d"]);
    second.raft.kill();
    await second.storage.close();
  });
});
