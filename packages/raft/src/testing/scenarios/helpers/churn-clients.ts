import type { Value } from "@lab/labgob";
import type { RaftCluster } from "../../raft-cluster.js";
import { BackgroundTasks } from "./background-tasks.js";
import { randomCommand } from "./random-command.js";

/** How long a churn client polls for its entry (the course's 10, 20, 50, 100, 200 ms). */
const POLL_SLEEPS_MS = [10, 20, 50, 100, 200] as const;

/**
 * The course's churn clients: each one repeatedly offers a fresh random command to every
 * running peer, and when some peer accepted it as leader, polls that index for a while (about
 * 380 ms) and remembers the command if it is what got committed there. A client that found no
 * leader backs off for a time of its own (79 ms + 17 ms per client) so clients do not march in
 * step. They run until {@link ChurnClients.finish} raises their stop flag.
 */
export class ChurnClients {
  readonly #cluster: RaftCluster;
  readonly #tasks = new BackgroundTasks();
  readonly #seen: Value[][] = [];
  #stop = false;

  constructor(cluster: RaftCluster, count: number) {
    this.#cluster = cluster;
    for (let me = 0; me < count; me++) {
      const seen: Value[] = [];
      this.#seen.push(seen);
      this.#tasks.spawn(() => this.#client(me, seen));
    }
  }

  /** Rethrows a client's failure (for example a commit mismatch seen while polling). */
  throwIfFailed(): void {
    this.#tasks.throwIfFailed();
  }

  /**
   * Raises the stop flag, waits for every client to finish its current attempt, and returns
   * every command some client saw committed.
   */
  async finish(): Promise<Value[]> {
    this.#stop = true;
    await this.#tasks.join();
    return this.#seen.flat();
  }

  async #client(me: number, seen: Value[]): Promise<void> {
    const cluster = this.#cluster;
    // A stream per client: its draws do not shift the scenario's or the other clients'.
    const random = cluster.random.fork(`churn-client-${me}`);
    while (!this.#stop) {
      const command = randomCommand(random);
      let index = -1;
      for (let i = 0; i < cluster.n; i++) {
        const r = cluster.rafts[i]?.start(command);
        if (r?.isLeader) index = r.index;
      }
      if (index === -1) {
        await cluster.sim.sleep(79 + me * 17);
        continue;
      }
      // Maybe the leader commits it, maybe not; do not wait forever.
      for (const ms of POLL_SLEEPS_MS) {
        const { count, command: committed } = cluster.nCommitted(index);
        if (count > 0) {
          if (typeof committed !== "number") {
            cluster.fail(`churn client ${me}: index ${index} holds a non-number command`);
          }
          if (committed === command) seen.push(command);
          break;
        }
        await cluster.sim.sleep(ms);
      }
    }
  }
}
