import { describe, expect, it, vi } from "vitest";
import { CodecError, isLabError, LabError, SchemaError } from "../src/index.js";

describe("LabError branding", () => {
  it("survives the package being loaded twice", async () => {
    // A second, independent copy of the whole package, as when an application loads it once
    // through `import` and once through `require`: new LabError, CodecError and codec classes.
    vi.resetModules();
    const copy = (await import(
      "../src/index.js?copy=2" as string
    )) as typeof import("../src/index.js");
    expect(copy.LabError).not.toBe(LabError);
    expect(copy.CodecError).not.toBe(CodecError);
    expect(Object.getPrototypeOf(copy.CodecError)).toBe(copy.LabError);

    // A real error thrown by copy 2's codec code.
    const Ping = copy.message("Ping", { seq: copy.field.uint(1) });
    let thrown: unknown;
    try {
      Ping.encode({ seq: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(copy.CodecError);
    expect(thrown).toBeInstanceOf(CodecError);
    expect(thrown).toBeInstanceOf(LabError);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(SchemaError);
    expect(isLabError(thrown, CodecError)).toBe(true);
    expect((thrown as CodecError).code).toBe("LAB_CODEC");
    expect((thrown as CodecError).code).toBe(CodecError.code);
    expect((thrown as CodecError).path).toBe("$.seq");

    // And the other way round: copy 1's errors are instances of copy 2's classes.
    const here = new CodecError("C", "decode", "$", "truncated");
    expect(here).toBeInstanceOf(copy.CodecError);
    expect(here).toBeInstanceOf(copy.LabError);
    expect(copy.isLabError(here, copy.CodecError)).toBe(true);
    expect(new SchemaError("bad schema")).not.toBeInstanceOf(copy.CodecError);
    expect(new SchemaError("bad schema").code).toBe("LAB_CODEC_SCHEMA");
  });
});
