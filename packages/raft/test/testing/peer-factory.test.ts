import { describe, expect, it } from "vitest";
import {
  findScenario,
  makeLabRaftPeer,
  type RaftPeerArgs,
  type RaftPeerFactory,
  type RaftScenario,
  runScenario,
} from "../../src/testing/index.js";
import { spawnCli } from "../cli/spawn-cli.js";
import { peerFactory as forgetfulRaft } from "./fixtures/forgetful-raft.js";

function scenario(name: string): RaftScenario {
  const found = findScenario(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found;
}

const forgetfulRaftModule = new URL("./fixtures/forgetful-raft.ts", import.meta.url).pathname;

describe("running the course's scenarios against another Raft (peerFactory)", () => {
  it("makes every peer, at every restart, through the factory it is given", async () => {
    const made: number[] = [];
    const lab = makeLabRaftPeer();
    const counting: RaftPeerFactory = (args: RaftPeerArgs) => {
      made.push(args.me);
      return lab(args);
    };
    const result = await runScenario(scenario("3C/basic-persistence"), {
      seed: 3,
      peerFactory: counting,
    });
    expect(result.failure?.message).toBeUndefined();
    // Three at the start, then the scenario's restarts (all three, the leader, ...).
    expect(made.slice(0, 3)).toEqual([0, 1, 2]);
    expect(made.length).toBeGreaterThan(6);
  });

  it("catches a Raft that forgets what it persisted", async () => {
    const result = await runScenario(scenario("3C/basic-persistence"), {
      seed: 3,
      peerFactory: forgetfulRaft,
    });
    expect(result.ok).toBe(false);
    expect(result.failure?.message).toMatch(/seed 3/);
  });

  it("raft-stress --raft runs the scenarios against the module's peerFactory", async () => {
    const ours = await spawnCli("stress", [
      "--scenario",
      "3C/basic-persistence",
      "--seeds",
      "2",
      "--workers",
      "1",
    ]);
    expect(ours.stdout).toMatch(/^2 passed, 0 failed$/m);
    const theirs = await spawnCli("stress", [
      "--raft",
      forgetfulRaftModule,
      "--scenario",
      "3C/basic-persistence",
      "--seeds",
      "2",
      "--workers",
      "1",
    ]);
    expect(theirs.stdout).toMatch(/^0 passed, 2 failed$/m);
    expect(theirs.code).toBe(1);
  });

  it("raft-stress --raft rejects a module without peerFactory", async () => {
    const bad = await spawnCli("stress", [
      "--raft",
      new URL("../cli/fixtures/tiny-registry.ts", import.meta.url).pathname,
      "--scenario",
      "3A/initial-election",
      "--seed",
      "1",
    ]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--raft: .* must export peerFactory/);
  });
});
