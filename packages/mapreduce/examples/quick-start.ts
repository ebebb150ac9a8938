import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Coordinator, type MapReduceApp, runWorker } from "@lab/mapreduce";

// An application is a map and a reduce function (as a module, it exports them).
// This one counts the letters of its inputs, case-folded.
const letters: MapReduceApp = {
  map: (_filename, contents) =>
    (contents.match(/\p{L}/gu) ?? []).map((letter) => ({ key: letter.toLowerCase(), value: "1" })),
  reduce: (_key, values) => String(values.length),
};

const dir = mkdtempSync(join(tmpdir(), "mr-example-"));
const files = ["one.txt", "two.txt"].map((name, i) => {
  const path = join(dir, name);
  writeFileSync(path, i === 0 ? "Abracadabra!" : "A cabbage.");
  return path;
});

// A coordinator on a free port of 127.0.0.1, one map task per file, 3 reduce tasks.
const coordinator = await Coordinator.start({ files, nReduce: 3, workDir: join(dir, "out") });
// Two workers; in production each is its own process: `mapreduce worker --app ... --coordinator`.
const workers = [1, 2].map(() => runWorker({ app: letters, coordinator: coordinator.url }));
const summary = await coordinator.done();
const results = await Promise.all(workers);
await coordinator.close();

console.log(`${summary.mapsDone} maps, ${summary.reducesDone} reduces`);
console.log(`workers: ${results.map((r) => r.reason).join(", ")}`);
const outputs = readdirSync(join(dir, "out")).filter((name) => name.startsWith("mr-out-"));
const lines = outputs.flatMap((name) =>
  readFileSync(join(dir, "out", name), "utf8")
    .split("\n")
    .filter(Boolean),
);
console.log(lines.sort().join(", "));
rmSync(dir, { recursive: true });
