// The README's example, kept runnable: pnpm exec tsx --conditions=@lab/source examples/simulated-kv.ts
import { field, message } from "@lab/labgob";
import { defineService, Network, RpcServer, Simulator } from "@lab/labrpc";

// Declared once, shared by client and server.
const GetArgs = message("GetArgs", { key: field.string(1) });
const GetReply = message("GetReply", { value: field.string(1), found: field.bool(2) });
const KV = defineService("KV", { Get: { request: GetArgs, reply: GetReply } });

const sim = new Simulator({ seed: 42 });
const net = new Network(sim);
const data = new Map([["x", "1"]]);
net.addServer(
  "kv-0",
  new RpcServer().addService(KV, {
    Get: ({ key }) => ({ value: data.get(key) ?? "", found: data.has(key) }),
  }),
);

const end = net.makeEnd("client-0"); // ends start disabled and unconnected
net.connect("client-0", "kv-0");
net.enable("client-0", true);

net.setReliable(false); // 0-26 ms jitter, 10% of requests and replies lost
const result = await sim.settle(end.call(KV.methods.Get, { key: "x" }));
if (result.ok) console.log("x =", result.reply.value);
else console.log("no reply:", result.reason); // "dropped" | "unreachable" | "timeout" | ...
console.log(`t=${sim.now()} ms, ${net.totalCount} calls, ${net.totalBytes} bytes`);
