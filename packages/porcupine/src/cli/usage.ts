/** The CLI's help text. */
export const USAGE = `Usage: porcupine check [options] FILE...

Checks whether recorded histories are linearizable.

Options:
  --model kv|etcd|register     model to check against (default: the format's own, or the
                               JSON-lines header's)
  --format auto|porcupine-kv|jepsen-etcd|jsonl
                               history format (default: auto, detected from the first line)
  --timeout SECONDS            give up on a file after this long: result "unknown"
  --memory-limit MIB           give up on a file when the search's memo exceeds this many MiB
  --html FILE                  write a self-contained HTML report of the checked files
  --json                       print one JSON object per file
  -h, --help                   show this help
  -v, --version                print the version

Exit codes: 0 every file is linearizable, 1 some file is not, 2 some file is unknown
(timeout or memory limit) and none is illegal, 3 bad input or usage.
`;
