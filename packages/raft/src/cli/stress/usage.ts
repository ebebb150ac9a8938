/** The stress runner's help text. */
export const STRESS_USAGE = `Usage: raft-stress [options]
       (from the repository: pnpm --filter @lab/raft stress [options])

Runs the Raft lab scenarios over many seeds in worker threads and prints every failing
scenario and seed. With --seed, replays one run in this process instead.

Selecting scenarios (default: all; the options add up):
  --scenario NAME      a scenario by name, e.g. 3B/backup (repeatable)
  --part 3A|3B|3C|3D   every scenario of a part (repeatable)

Stress (many seeds):
  --seeds N            seeds per scenario (default 100)
  --first-seed S       first seed; runs S .. S+N-1 (default 1)
  --workers K          worker threads (default: available parallelism)
  --timeout SECONDS    wall-clock limit per run; a run past it fails as hung (default 120)

Replay (one seed, one scenario):
  --seed S             replay this seed in-process and print its result
  --trace FILE         with --seed: write the run's trace as JSON lines (read it with raft-trace)

Other:
  --registry MODULE    load scenarios from MODULE (exporting raftScenarios) instead of the
                       built-in suite
  --raft MODULE        run against your Raft: MODULE exports peerFactory, a RaftPeerFactory
                       from @lab/raft/testing (default: this package's Raft)
  --sync-delay MS      a slow disk: each persist is durable 0..MS virtual ms later (in order),
                       and lost if its peer crashes first (default: durable at once)
  -h, --help           show this help

Output: one line per failure ("FAIL <scenario> seed <S>: <message>"), then "N passed, M failed"
and the elapsed time. A terminal on stderr shows a progress line.
Exit codes: 0 all passed, 1 some run failed, 2 the runner broke, 3 bad usage, 130 Ctrl-C.
`;
