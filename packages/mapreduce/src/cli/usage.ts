/** `mapreduce --help`. */
export const USAGE = `Usage: mapreduce <command> [options]

Commands:
  sequential --app APP --out DIR FILE...
      Run the job in this process (the reference output): DIR/mr-out-0.
  coordinator [--reduce N] --out DIR [--listen ADDR] [--task-timeout DUR] FILE...
      Serve the tasks of a job: one map per FILE, N reduces (default 10). Outputs go to
      DIR/mr-out-*. Listens on 127.0.0.1:5840 unless --listen says otherwise (0.0.0.0:PORT for
      workers on other hosts, 127.0.0.1:0 for any free port; the address is printed first).
  worker --app APP [--coordinator ADDR] [--connect-wait DUR] [--verbose]
      Ask the coordinator (default 127.0.0.1:5840) for tasks until the job is done.
  run --app APP [--workers N] [--reduce N] --out DIR [--task-timeout DUR] FILE...
      Start a coordinator and N worker processes (default 3) and wait for the job.

APP is a shipped application (wc, indexer, mtiming, rtiming, jobcount, early_exit, crash,
nocrash) or the path of a module exporting map(filename, contents) and reduce(key, values).
Output files hold one "key value" line per key. Workers and the coordinator share DIR and the
input paths (one machine, or a shared file system mounted at the same paths).

Options:
  --task-timeout DUR   hand a task out again when not reported within DUR (default 10s)
  --linger DUR         coordinator: keep answering "exit" for DUR after the job (default 1s)
  --connect-wait DUR   worker: how long to try a coordinator that has not answered (default 5s)
  --verbose            worker: log every task on stderr
  -h, --help           show this help
  -v, --version        print the version
DUR is 500ms, 10s, 2m, or a number of seconds. The test applications' sleeps are scaled by
MAPREDUCE_TIME_SCALE (default 1).

Exit codes: 0 done, 1 job failed (aborted, coordinator unreachable, workers gone),
2 bad usage or input (unknown option, missing file, application without map/reduce), 3 bug.
`;
