import { isLabError, type LabErrorClass } from "@lab/labgob";
import type { CallResult, ClientEnd } from "../client-end.js";
import { HandlerError, UnknownMethodError } from "../errors.js";
import { RpcServer } from "../rpc-server.js";
import {
  Probe,
  ProbeEncodeError,
  ProbeMissing,
  type ProbeReply,
  type ProbeRequest,
} from "./transport-probe.js";

/**
 * What a transport provides to be checked by {@link transportComplianceCases}. The simulated
 * network and TCP each have one; write one for your own transport.
 */
export interface TransportHarness {
  /** The transport's name, for messages. */
  readonly name: string;
  /** Serves `server`; returns a handle to make ends addressing it and to kill it. */
  serve(server: RpcServer): Promise<ServedPeer>;
  /**
   * Awaits `promise`, driving the transport's clock as needed (a simulator runs events until it
   * settles; real transports just await). Cases never call it twice at once.
   */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** A promise resolved after `ms` of transport time (handlers use it to be slow). */
  sleep(ms: number): Promise<void>;
  /** Releases everything the harness created. */
  close(): Promise<void>;
}

/** A server served by a {@link TransportHarness}. */
export interface ServedPeer {
  /** A new client end addressing this server (`name` for traces; unique names are passed). */
  end(name?: string): ClientEnd | Promise<ClientEnd>;
  /** Crashes the server: calls in flight and later calls get no reply. */
  kill(): Promise<void>;
}

/** One check of the transport contract; `run` throws an `Error` describing any violation. */
export interface TransportComplianceCase {
  readonly name: string;
  run(harness: TransportHarness): Promise<void>;
}

/** A promise with its resolver: how cases hold a handler and release it later. */
interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A probe server plus what its handlers observed, and hooks to hold `Hang` calls. */
interface ProbeFixture {
  readonly peer: ServedPeer;
  /** Requests each handler received, in arrival order. */
  readonly seen: { echo: number[]; hang: number[]; strict: string[] };
  /** Resolved when the n-th `Hang` call (0-based) has started. */
  hangStarted(n: number): Promise<void>;
  /** Lets every `Hang` call, present and future, finish. */
  releaseHangs(): void;
  /** Resolved when the n-th `Hang` call (0-based) has returned its reply. */
  hangFinished(n: number): Promise<void>;
}

async function serveProbe(harness: TransportHarness): Promise<ProbeFixture> {
  const seen = { echo: [] as number[], hang: [] as number[], strict: [] as string[] };
  const release = gate();
  const started: Gate[] = [];
  const finished: Gate[] = [];
  const nth = (list: Gate[], n: number): Gate => {
    while (list.length <= n) list.push(gate());
    return list[n] as Gate;
  };
  const echo = (request: ProbeRequest): ProbeReply => ({
    id: request.id,
    payload: request.payload,
  });
  const server = new RpcServer().addService(Probe, {
    async Echo(request) {
      seen.echo.push(request.id);
      if (request.delayMs > 0) await harness.sleep(request.delayMs);
      return echo(request);
    },
    async Hang(request) {
      const n = seen.hang.length;
      seen.hang.push(request.id);
      nth(started, n).open();
      await release.promise;
      if (request.delayMs > 0) await harness.sleep(request.delayMs);
      nth(finished, n).open();
      return echo(request);
    },
    Fail(text) {
      throw new Error(`probe failure: ${text}`);
    },
    Strict(text) {
      seen.strict.push(text);
      return text;
    },
  });
  const served = await harness.serve(server);
  let killed: Promise<void> | null = null;
  // Cases kill the server and withProbe kills it again afterwards: make that a no-op.
  const peer: ServedPeer = {
    end: (name) => served.end(name),
    kill: () => {
      killed ??= served.kill();
      return killed;
    },
  };
  return {
    peer,
    seen,
    hangStarted: (n) => nth(started, n).promise,
    hangFinished: (n) => nth(finished, n).promise,
    releaseHangs: () => release.open(),
  };
}

/** Runs `body` against a fresh probe server, always releasing and killing it afterwards. */
async function withProbe(
  harness: TransportHarness,
  body: (fixture: ProbeFixture) => Promise<void>,
): Promise<void> {
  const fixture = await serveProbe(harness);
  try {
    await body(fixture);
  } finally {
    fixture.releaseHangs();
    await fixture.peer.kill();
  }
}

class ComplianceFailure extends Error {
  override name = "TransportComplianceFailure";
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ComplianceFailure(message);
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Bytes derived from `seed`, so a reply can be checked against the call that caused it. */
function pattern(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 131 + i * 7 + (i >>> 8)) & 0xff;
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function request(id: number, delayMs = 0, length = 16): ProbeRequest {
  return { id, delayMs, payload: pattern(id, length) };
}

/** Checks that `result` is the echo of `sent`. */
function checkEcho(result: CallResult<ProbeReply>, sent: ProbeRequest, what: string): void {
  check(result.ok, `${what}: expected a reply, got ${describe(result)}`);
  check(
    result.reply.id === sent.id,
    `${what}: reply carries id ${result.reply.id}, expected ${sent.id} (a reply matched to the wrong call)`,
  );
  check(
    sameBytes(result.reply.payload, sent.payload),
    `${what}: reply payload (${result.reply.payload.length} bytes) differs from the request's (${sent.payload.length} bytes)`,
  );
}

function checkNoReply(result: CallResult<unknown>, what: string): void {
  check(!result.ok, `${what}: expected no reply (ok: false), got ${describe(result)}`);
}

/** Awaits a call that must reject with an error of class `cls`; returns the error. */
async function rejection(
  harness: TransportHarness,
  call: Promise<unknown>,
  cls: LabErrorClass & { readonly name: string },
  what: string,
): Promise<Error> {
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await harness.settle(call) };
  } catch (error) {
    outcome = { error };
  }
  check(
    "error" in outcome,
    `${what}: expected a rejection with ${cls.name}, resolved ${describe("value" in outcome ? outcome.value : undefined)}`,
  );
  check(
    isLabError(outcome.error, cls),
    `${what}: expected a rejection with ${cls.name} (${cls.code}), got ${describe(outcome.error)}`,
  );
  return outcome.error as Error;
}

/**
 * An end that has completed one call. Cases that time calls out use it: a transport may spend
 * any time connecting, and a call that times out before its request left never reaches the
 * handler, which those cases observe.
 */
async function warmEnd(
  harness: TransportHarness,
  peer: ServedPeer,
  name: string,
): Promise<ClientEnd> {
  const end = await peer.end(name);
  const hello = request(0xffff);
  checkEcho(
    await harness.settle(end.call(Probe.methods.Echo, hello)),
    hello,
    `first call on ${name}`,
  );
  return end;
}

/** Tracks whether a promise has settled yet, without awaiting it. */
function watch<T>(promise: Promise<T>): { readonly settled: () => boolean } {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return { settled: () => settled };
}

/**
 * The transport contract, as executable checks. Framework-agnostic: run each case with any test
 * runner, e.g. `for (const c of transportComplianceCases) it(c.name, () => c.run(harness))`.
 * Cases use the harness's clock for every delay, so they run in virtual time on a simulator.
 */
export const transportComplianceCases: readonly TransportComplianceCase[] = [
  {
    name: "typed round trip: the handler gets the decoded request, the caller the decoded reply",
    run: (harness) =>
      withProbe(harness, async ({ peer, seen }) => {
        const end = await peer.end("round-trip");
        const sent = request(7);
        checkEcho(await harness.settle(end.call(Probe.methods.Echo, sent)), sent, "Echo(7)");
        check(
          seen.echo.length === 1 && seen.echo[0] === 7,
          `handler saw ids ${describe(seen.echo)}, expected [7]`,
        );
        const text = await harness.settle(end.call(Probe.methods.Strict, "héllo, wörld"));
        check(text.ok && text.reply === "héllo, wörld", `Strict echo returned ${describe(text)}`);
      }),
  },
  {
    name: "an empty payload makes the round trip",
    run: (harness) =>
      withProbe(harness, async ({ peer }) => {
        const end = await peer.end("empty");
        const sent = request(1, 0, 0);
        checkEcho(await harness.settle(end.call(Probe.methods.Echo, sent)), sent, "Echo(empty)");
        const text = await harness.settle(end.call(Probe.methods.Strict, ""));
        check(text.ok && text.reply === "", `Strict("") returned ${describe(text)}`);
      }),
  },
  {
    name: "64 concurrent calls on one end with different handler delays: each reply matches its call",
    run: (harness) =>
      withProbe(harness, async ({ peer }) => {
        const end = await peer.end("concurrent");
        const completed: number[] = [];
        const sent = Array.from({ length: 64 }, (_, i) => request(1000 + i, 64 - i, 8 + i));
        const calls = sent.map((req) =>
          end.call(Probe.methods.Echo, req).then((result) => {
            completed.push(req.id);
            return result;
          }),
        );
        const results = await harness.settle(Promise.all(calls));
        results.forEach((result, i) => {
          checkEcho(result, sent[i] as ProbeRequest, `call ${i} of 64`);
        });
        // The last call has the shortest delay: if every reply came back in call order, the
        // calls were served one at a time instead of concurrently.
        const inOrder = completed.every((id, i) => id === 1000 + i);
        check(
          !inOrder,
          "64 calls completed exactly in call order: calls on one end are not concurrent",
        );
      }),
  },
  {
    name: "concurrent calls on many ends to one server",
    run: (harness) =>
      withProbe(harness, async ({ peer, seen }) => {
        const ends: ClientEnd[] = [];
        for (let e = 0; e < 8; e++) ends.push(await peer.end(`many-${e}`));
        const sent: ProbeRequest[] = [];
        const calls: Promise<CallResult<ProbeReply>>[] = [];
        ends.forEach((end, e) => {
          for (let c = 0; c < 8; c++) {
            const req = request(e * 100 + c, (e * 8 + c) % 5, 4 + c);
            sent.push(req);
            calls.push(end.call(Probe.methods.Echo, req));
          }
        });
        const results = await harness.settle(Promise.all(calls));
        results.forEach((result, i) => {
          checkEcho(result, sent[i] as ProbeRequest, `call ${i} of 64 over 8 ends`);
        });
        check(seen.echo.length === 64, `handler ran ${seen.echo.length} times, expected 64`);
      }),
  },
  {
    name: "an unknown method rejects with UnknownMethodError",
    run: (harness) =>
      withProbe(harness, async ({ peer }) => {
        const end = await peer.end("unknown");
        const error = await rejection(
          harness,
          end.call(ProbeMissing, "anyone?"),
          UnknownMethodError,
          "call to Probe.Missing",
        );
        check(
          error.message.includes("Probe.Missing"),
          `UnknownMethodError should name the method, says: ${error.message}`,
        );
        const sent = request(2);
        checkEcho(await harness.settle(end.call(Probe.methods.Echo, sent)), sent, "Echo after it");
      }),
  },
  {
    name: "a handler that throws rejects the call with HandlerError carrying its message",
    run: (harness) =>
      withProbe(harness, async ({ peer }) => {
        const end = await peer.end("throws");
        const error = await rejection(
          harness,
          end.call(Probe.methods.Fail, "disk on fire"),
          HandlerError,
          "call to Probe.Fail",
        );
        check(
          error.message.includes("probe failure: disk on fire"),
          `HandlerError should carry the handler's message, says: ${error.message}`,
        );
      }),
  },
  {
    name: "a failing call does not disturb concurrent calls on the same end",
    run: (harness) =>
      withProbe(harness, async ({ peer }) => {
        const end = await peer.end("mixed");
        const sent = [request(1, 3), request(2, 1), request(3, 0)];
        const failing = end.call(Probe.methods.Fail, "one bad apple").then(
          () => "resolved",
          (error: unknown) => (isLabError(error, HandlerError) ? "HandlerError" : describe(error)),
        );
        const echoes = Promise.all(sent.map((req) => end.call(Probe.methods.Echo, req)));
        const [failure, results] = await harness.settle(Promise.all([failing, echoes]));
        check(failure === "HandlerError", `the failing call ended with ${failure}`);
        results.forEach((result, i) => {
          checkEcho(result, sent[i] as ProbeRequest, `echo ${i} beside the failing call`);
        });
      }),
  },
  {
    name: "an argument the codec cannot encode rejects before the handler runs",
    run: (harness) =>
      withProbe(harness, async ({ peer, seen }) => {
        const end = await peer.end("unencodable");
        await rejection(
          harness,
          end.call(Probe.methods.Strict, "poison pill"),
          ProbeEncodeError,
          "call with an unencodable argument",
        );
        // A later good call proves the server was reachable all along, so the handler count is
        // meaningful: the refused call never left the caller.
        const good = await harness.settle(end.call(Probe.methods.Strict, "antidote"));
        check(good.ok && good.reply === "antidote", `the next call returned ${describe(good)}`);
        check(
          seen.strict.length === 1 && seen.strict[0] === "antidote",
          `the handler saw ${describe(seen.strict)}, expected only ["antidote"]`,
        );
      }),
  },
  {
    name: "a killed server: the call in flight resolves ok:false (never rejects), later calls too",
    run: (harness) =>
      withProbe(harness, async ({ peer, hangStarted }) => {
        const end = await peer.end("killed");
        const sent = request(5);
        checkEcho(
          await harness.settle(end.call(Probe.methods.Echo, sent)),
          sent,
          "Echo before the kill",
        );
        const inFlight = end.call(Probe.methods.Hang, request(6));
        await harness.settle(hangStarted(0));
        await peer.kill();
        checkNoReply(
          await harness.settle(inFlight),
          "the call in flight when the server was killed",
        );
        checkNoReply(
          await harness.settle(end.call(Probe.methods.Echo, request(7))),
          "a call after the server was killed",
        );
      }),
  },
  {
    name: "timeoutMs: a call to a hanging handler resolves {ok:false, reason:'timeout'}",
    run: (harness) =>
      withProbe(harness, async ({ peer, seen, hangStarted }) => {
        const end = await warmEnd(harness, peer, "timeout");
        const result = await harness.settle(
          end.call(Probe.methods.Hang, request(8), { timeoutMs: 50 }),
        );
        check(
          !result.ok && result.reason === "timeout",
          `expected {ok:false, reason:"timeout"}, got ${describe(result)}`,
        );
        // The request did reach the handler (perhaps after the timeout, on a busy machine).
        await harness.settle(hangStarted(0));
        check(
          seen.hang.length === 1,
          `the hanging handler ran ${seen.hang.length} times, expected 1`,
        );
        const ontime = request(9);
        checkEcho(
          await harness.settle(end.call(Probe.methods.Echo, ontime, { timeoutMs: 10_000 })),
          ontime,
          "a call answered well within its timeoutMs",
        );
      }),
  },
  {
    name: "a slow call does not delay a later fast call on the same end",
    run: (harness) =>
      withProbe(harness, async ({ peer, hangStarted, releaseHangs }) => {
        const end = await peer.end("slow-fast");
        const slowRequest = request(10);
        const slow = end.call(Probe.methods.Hang, slowRequest);
        const slowState = watch(slow);
        await harness.settle(hangStarted(0));
        const fast = request(11);
        checkEcho(await harness.settle(end.call(Probe.methods.Echo, fast)), fast, "the fast call");
        check(!slowState.settled(), "the slow call settled before its handler was released");
        releaseHangs();
        checkEcho(await harness.settle(slow), slowRequest, "the slow call once released");
      }),
  },
  {
    name: "a 1 MiB payload arrives intact both ways",
    run: (harness) =>
      withProbe(harness, async ({ peer }) => {
        const end = await peer.end("large");
        const sent = request(12, 0, 1024 * 1024);
        checkEcho(await harness.settle(end.call(Probe.methods.Echo, sent)), sent, "Echo(1 MiB)");
        const after = request(13);
        checkEcho(
          await harness.settle(end.call(Probe.methods.Echo, after)),
          after,
          "Echo after it",
        );
      }),
  },
  {
    name: "a reply arriving after its call timed out is ignored",
    run: (harness) =>
      withProbe(harness, async ({ peer, releaseHangs, hangFinished }) => {
        const end = await warmEnd(harness, peer, "late");
        // The handler answers 100 ms after being released; the call gives up after 20 ms.
        releaseHangs();
        const late = await harness.settle(
          end.call(Probe.methods.Hang, request(14, 100), { timeoutMs: 20 }),
        );
        check(!late.ok && late.reason === "timeout", `expected a timeout, got ${describe(late)}`);
        // This call is in flight when the late reply comes back: a transport that reused the
        // timed-out call's request id, or delivered the late reply anyway, mismatches it.
        const next = request(15, 150);
        const nextCall = end.call(Probe.methods.Echo, next);
        await harness.settle(hangFinished(0));
        checkEcho(
          await harness.settle(nextCall),
          next,
          "the call in flight when the late reply arrived",
        );
        const last = request(16);
        checkEcho(
          await harness.settle(end.call(Probe.methods.Echo, last)),
          last,
          "a call after the late reply",
        );
      }),
  },
];
