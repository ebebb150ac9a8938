import { SeededRandom } from "@lab/labrpc";
import {
  checkOperationsSync,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
} from "@lab/porcupine";
import { describe, expect, it } from "vitest";
import {
  checkAgainstFinalValue,
  finalValueHistoryProblem,
  finalValueModel,
} from "../src/testing/final-value-check.js";

type Op = Operation<KvInput, KvOutput>;
const KEY = "k";

/**
 * One Put of "", then `clients` clients that each append `appends` distinct elements one after
 * another at random times (overlapping the Put and the Get at times), then one Get that read
 * the elements in `order` (a random order: it may or may not agree with the real times).
 */
function randomHistory(random: SeededRandom, clients: number, appends: number): Op[] {
  const history: Op[] = [
    {
      clientId: 0,
      input: { op: "put", key: KEY, value: "" },
      call: 0,
      return: 2,
      output: { type: "ok" },
    },
  ];
  const elements: string[] = [];
  let end = 0;
  for (let c = 1; c <= clients; c++) {
    let t = random.int(3);
    for (let j = 0; j < appends; j++) {
      const value = `<${c}.${j}>`;
      elements.push(value);
      const call = t + random.int(3);
      const ret = call + 1 + random.int(6);
      history.push({
        clientId: c,
        input: { op: "append", key: KEY, value },
        call,
        return: ret,
        output: { type: "ok" },
      });
      t = ret;
      end = Math.max(end, ret);
    }
  }
  for (let i = elements.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [elements[i], elements[j]] = [elements[j] as string, elements[i] as string];
  }
  const start = end - random.int(2);
  history.push({
    clientId: 0,
    input: { op: "get", key: KEY },
    call: start,
    return: start + 1,
    output: { type: "ok", value: elements.join("") },
  });
  return history;
}

function finalValue(history: readonly Op[]): string {
  const get = history.find((op) => op.input.op === "get");
  return get?.output.type === "ok" ? (get.output.value ?? "") : "";
}

describe("the kv model pinned to a final value", () => {
  it("gives the plain kv model's verdict on every small random history", () => {
    const random = new SeededRandom(7);
    const verdicts = { ok: 0, illegal: 0 };
    for (let i = 0; i < 400; i++) {
      const history = randomHistory(random, 3, 2);
      const value = finalValue(history);
      expect(finalValueHistoryProblem(history, KEY, value)).toBeUndefined();
      const plain = checkOperationsSync(kvModel(), history).result;
      const pinned = checkOperationsSync(finalValueModel(value), history).result;
      expect(pinned, `history ${i}: ${JSON.stringify(history)}`).toBe(plain);
      if (plain === "ok" || plain === "illegal") verdicts[plain]++;
    }
    // Both verdicts occur, so the agreement says something.
    expect(verdicts.ok).toBeGreaterThan(20);
    expect(verdicts.illegal).toBeGreaterThan(20);
  });

  it("checks five clients of ten appends at once, and finds a swapped pair", () => {
    const clients = 5;
    const appends = 10;
    const history: Op[] = [
      {
        clientId: 0,
        input: { op: "put", key: KEY, value: "" },
        call: 0,
        return: 1,
        output: { type: "ok" },
      },
    ];
    // The clients take turns in lock step: client c's append j runs over [10j + c, 10j + c + 5].
    const order: string[] = [];
    for (let j = 0; j < appends; j++) {
      for (let c = 0; c < clients; c++) {
        const value = `x ${c} ${j} y`;
        order.push(value);
        const call = 1 + 10 * j + c;
        history.push({
          clientId: c + 1,
          input: { op: "append", key: KEY, value },
          call,
          return: call + 5,
          output: { type: "ok" },
        });
      }
    }
    const get = (value: string): Op => ({
      clientId: 0,
      input: { op: "get", key: KEY },
      call: 200,
      return: 201,
      output: { type: "ok", value },
    });
    const good = order.join("");
    expect(checkAgainstFinalValue([...history, get(good)], KEY, good, 5000)).toEqual({
      result: "ok",
    });
    // Client 0's first append returned (at 6) long before its last was called (at 91).
    const swapped = [...order];
    [swapped[0], swapped[45]] = [swapped[45] as string, swapped[0] as string];
    const bad = swapped.join("");
    expect(checkAgainstFinalValue([...history, get(bad)], KEY, bad, 5000)).toEqual({
      result: "illegal",
    });
  });

  it("names what makes a history unfit for it", () => {
    const put: Op = {
      clientId: 0,
      input: { op: "put", key: KEY, value: "" },
      call: 0,
      return: 1,
      output: { type: "ok" },
    };
    const append = (value: string, output: KvOutput = { type: "ok" }): Op => ({
      clientId: 1,
      input: { op: "append", key: KEY, value },
      call: 2,
      return: 3,
      output,
    });
    const get = (value: string): Op => ({
      clientId: 0,
      input: { op: "get", key: KEY },
      call: 4,
      return: 5,
      output: { type: "ok", value },
    });
    expect(finalValueHistoryProblem([put, append("a"), get("a")], KEY, "a")).toBeUndefined();
    expect(finalValueHistoryProblem([put, append("a"), get("a")], "other", "a")).toMatch(
      /operation on key "k"/,
    );
    expect(
      finalValueHistoryProblem([put, append("a", { type: "unknown" }), get("a")], KEY, "a"),
    ).toMatch(/unanswered/);
    expect(finalValueHistoryProblem([append("a"), get("a")], KEY, "a")).toMatch(/0 puts/);
    expect(finalValueHistoryProblem([put, append("a")], KEY, "a")).toMatch(/0 gets/);
    expect(finalValueHistoryProblem([put, append("a"), get("b")], KEY, "a")).toMatch(
      /did not read the final value/,
    );
    // An append missing from the final value could have been lost under a concurrent Put: the
    // pinned model would not see that order, so it does not claim the history.
    expect(finalValueHistoryProblem([put, append("a"), append("b"), get("a")], KEY, "a")).toMatch(
      /1 characters, the put and the appends 2/,
    );
    expect(
      checkAgainstFinalValue([put, append("a"), append("b"), get("a")], KEY, "a", 1000),
    ).toMatchObject({ result: "inexact" });
  });
});
