// A client of that cluster:  node kvraft-client.ts <host:port>,<host:port>,<host:port>
import { connectKvRaft } from "@lab/kvraft/server";

const cluster = connectKvRaft((process.argv[2] ?? "").split(","));
const clerk = cluster.clerk(); // finds the leader, retries until the operation is applied
await clerk.put("greeting", "hello");
await clerk.append("greeting", ", world");
console.log(await clerk.get("greeting"));

// A clerk runs one operation at a time: concurrent callers take one each (they share the
// connections to the servers).
const clerks = Array.from({ length: 10 }, () => cluster.clerk());
await Promise.all(clerks.map((ck, i) => ck.append("log", `${i};`)));
console.log(`log holds ${(await clerk.get("log")).split(";").length - 1} appends`);
await cluster.close();
