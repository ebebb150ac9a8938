import { field, message } from "@lab/labgob";
import { describe, expect, it } from "vitest";
import { defineService, LocalTransport, RpcServer } from "../src/index.js";

const Blob = message("Blob", { data: field.bytes(1) });
const Store = defineService("Store", { Put: { request: Blob, reply: Blob } });

function keeping() {
  const kept: Uint8Array[] = [];
  const rpc = new RpcServer().addService(Store, {
    Put: ({ data }) => {
      kept.push(data);
      return { data: new Uint8Array([data.length]) };
    },
  });
  return { rpc, kept };
}

describe("RpcServer.dispatch: owned requests", () => {
  it("without owned, the handler gets copies: the transport may reuse its buffer", async () => {
    const { rpc, kept } = keeping();
    const request = Blob.encode({ data: new Uint8Array([1, 2, 3]) });
    await rpc.dispatch("Store.Put", request);
    request.fill(0);
    expect(kept[0]).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("with owned, bytes fields are views of the request buffer", async () => {
    const { rpc, kept } = keeping();
    const request = Blob.encode({ data: new Uint8Array([1, 2, 3]) });
    const reply = await rpc.dispatch("Store.Put", request, undefined, { owned: true });
    expect(Blob.decode(reply).data).toEqual(new Uint8Array([3]));
    expect(kept[0]).toEqual(new Uint8Array([1, 2, 3]));
    expect(kept[0]?.buffer).toBe(request.buffer);
  });

  it("LocalTransport hands its per-call request over: the handler's value is intact", async () => {
    const { rpc, kept } = keeping();
    const transport = new LocalTransport({ delivery: "microtask" });
    transport.serve("s", rpc);
    const data = new Uint8Array([9, 8, 7]);
    const result = await transport.end("s").call(Store.methods.Put, { data });
    expect(result.ok).toBe(true);
    data.fill(0); // the caller's own array is not what the handler holds
    expect(kept[0]).toEqual(new Uint8Array([9, 8, 7]));
    transport.close();
  });
});
