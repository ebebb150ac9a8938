import { UNKNOWN_OUTPUT } from "../history.js";
import type { EtcdInput, EtcdOutput } from "../models/etcd-model.js";
import type { KvInput, KvOutput } from "../models/kv-model.js";
import type { RegisterInput, RegisterOutput, RegisterValue } from "../models/register-model.js";
import { type JsonCodec, JsonShapeError, objectWithKeys } from "./json-codec.js";

const isInteger = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isPrimitive = (v: unknown): v is RegisterValue =>
  v === null ||
  typeof v === "string" ||
  typeof v === "boolean" ||
  (typeof v === "number" && Number.isFinite(v));

/** Reads `{"type":"ok",...}`, `{"type":"fail"}` or `{"type":"unknown"}` and the allowed types. */
function outputType(
  json: unknown,
  allowed: readonly string[],
): { type: string; record: Record<string, unknown> } | JsonShapeError {
  const record = objectWithKeys(json, "output", ["type", "value"]);
  if (record instanceof JsonShapeError) return record;
  const type = record.type;
  if (typeof type !== "string" || !allowed.includes(type)) {
    return new JsonShapeError(
      `output.type must be one of ${allowed.map((t) => JSON.stringify(t)).join(", ")}`,
    );
  }
  if (type !== "ok" && "value" in record)
    return new JsonShapeError(`a "${type}" output has no value`);
  return { type, record };
}

/** JSON shapes of the key/value model: see the README's JSON-lines section. */
export const kvJsonCodec: JsonCodec<KvInput, KvOutput> = {
  input(json) {
    const r = objectWithKeys(json, "input", ["op", "key", "value"]);
    if (r instanceof JsonShapeError) return r;
    if (typeof r.key !== "string") return new JsonShapeError("input.key must be a string");
    if (r.op === "get")
      return "value" in r
        ? new JsonShapeError("a get input has no value")
        : { op: "get", key: r.key };
    if (r.op === "put" || r.op === "append") {
      if (typeof r.value !== "string")
        return new JsonShapeError(`a ${r.op} input needs a string value`);
      return { op: r.op, key: r.key, value: r.value };
    }
    return new JsonShapeError(
      `unknown operation ${JSON.stringify(r.op)}; expected "get", "put" or "append"`,
    );
  },
  output(json, input) {
    const o = outputType(json, ["ok", "unknown"]);
    if (o instanceof JsonShapeError) return o;
    if (o.type === "unknown") return UNKNOWN_OUTPUT;
    if (input.op === "get") {
      if (typeof o.record.value !== "string")
        return new JsonShapeError("the output of a get needs the string value read");
      return { type: "ok", value: o.record.value };
    }
    if (input.op === "append" && "value" in o.record) {
      // kvsrv's append returns the value it appended to.
      if (typeof o.record.value !== "string")
        return new JsonShapeError("the value of an append output (the old value) must be a string");
      return { type: "ok", value: o.record.value };
    }
    return "value" in o.record
      ? new JsonShapeError(`the output of a ${input.op} has no value`)
      : { type: "ok" };
  },
};

/** JSON shapes of the etcd model: see the README's JSON-lines section. */
export const etcdJsonCodec: JsonCodec<EtcdInput, EtcdOutput> = {
  input(json) {
    const r = objectWithKeys(json, "input", ["op", "value", "from", "to"]);
    if (r instanceof JsonShapeError) return r;
    switch (r.op) {
      case "read":
        return Object.keys(r).length === 1
          ? { op: "read" }
          : new JsonShapeError("a read input has only op");
      case "write":
        return isInteger(r.value) && !("from" in r) && !("to" in r)
          ? { op: "write", value: r.value }
          : new JsonShapeError("a write input needs an integer value (and nothing else)");
      case "cas":
        return isInteger(r.from) && isInteger(r.to) && !("value" in r)
          ? { op: "cas", from: r.from, to: r.to }
          : new JsonShapeError("a cas input needs integer from and to");
      default:
        return new JsonShapeError(
          `unknown operation ${JSON.stringify(r.op)}; expected "read", "write" or "cas"`,
        );
    }
  },
  output(json, input) {
    const o = outputType(json, ["ok", "fail", "unknown"]);
    if (o instanceof JsonShapeError) return o;
    if (o.type === "unknown") return UNKNOWN_OUTPUT;
    if (o.type === "fail") return { type: "fail" };
    if (input.op === "read") {
      const value = o.record.value;
      if (value !== null && !isInteger(value))
        return new JsonShapeError("the output of a read needs value: an integer or null");
      return { type: "ok", value };
    }
    return "value" in o.record
      ? new JsonShapeError(`the output of a ${input.op} has no value`)
      : { type: "ok" };
  },
};

/** JSON shapes of the plain register model: see the README's JSON-lines section. */
export const registerJsonCodec: JsonCodec<RegisterInput, RegisterOutput> = {
  input(json) {
    const r = objectWithKeys(json, "input", ["op", "value"]);
    if (r instanceof JsonShapeError) return r;
    if (r.op === "read")
      return "value" in r ? new JsonShapeError("a read input has no value") : { op: "read" };
    if (r.op === "write") {
      return "value" in r && isPrimitive(r.value)
        ? { op: "write", value: r.value }
        : new JsonShapeError("a write input needs a value: a string, number, boolean or null");
    }
    return new JsonShapeError(
      `unknown operation ${JSON.stringify(r.op)}; expected "read" or "write"`,
    );
  },
  output(json, input) {
    const o = outputType(json, ["ok", "unknown"]);
    if (o instanceof JsonShapeError) return o;
    if (o.type === "unknown") return UNKNOWN_OUTPUT;
    if (input.op === "read") {
      return "value" in o.record && isPrimitive(o.record.value)
        ? { type: "ok", value: o.record.value }
        : new JsonShapeError("the output of a read needs the value read");
    }
    return "value" in o.record
      ? new JsonShapeError("the output of a write has no value")
      : { type: "ok" };
  },
};
