import { mkdtempSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppLoadError, loadApp, shippedApps } from "../src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "mr-load-app-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const ctx = { workDir: scratch, taskId: 0 };

function module(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe("loadApp", () => {
  it("loads a shipped application by name", async () => {
    expect(await loadApp("wc")).toBe(shippedApps.wc);
  });

  it("loads an ES module by path, absolute or relative to the current directory", async () => {
    const path = module(
      "upper.mjs",
      `export function map(f, c) { return [{ key: c.toUpperCase(), value: f }]; }
       export function reduce(k, vs) { return vs.join("+"); }`,
    );
    for (const spec of [path, `./${relative(process.cwd(), path)}`]) {
      const app = await loadApp(spec);
      expect(await app.map("f", "abc", ctx)).toEqual([{ key: "ABC", value: "f" }]);
      expect(await app.reduce("k", ["1", "2"], ctx)).toBe("1+2");
    }
  });

  it("loads a CommonJS module and a default-exported object, methods keeping their this", async () => {
    const cjs = module(
      "count.cjs",
      `module.exports = { map: (f) => [{ key: f, value: "1" }], reduce: (k, vs) => String(vs.length) };`,
    );
    expect(await (await loadApp(cjs)).reduce("k", ["1", "1"], ctx)).toBe("2");
    const object = module(
      "object.mjs",
      `export default { sep: "|", map() { return []; }, reduce(k, vs) { return vs.join(this.sep); } };`,
    );
    expect(await (await loadApp(object)).reduce("k", ["a", "b"], ctx)).toBe("a|b");
  });

  it("names what is missing when a module lacks map or reduce", async () => {
    const path = module("half.mjs", "export function map() { return []; }\nexport const x = 1;\n");
    const error = await loadApp(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppLoadError);
    expect((error as AppLoadError).code).toBe("LAB_MR_APP_LOAD");
    expect((error as Error).message).toBe(
      `application ${JSON.stringify(path)}: does not export a reduce() function (it exports map, x)`,
    );
    const empty = module("empty.mjs", "export {};\n");
    await expect(loadApp(empty)).rejects.toThrow(
      "does not export a map() function and a reduce() function (it exports nothing)",
    );
  });

  it("reports unknown names, missing files and modules that fail to load", async () => {
    await expect(loadApp("wordcount")).rejects.toThrow(
      /"wordcount": is not a shipped application \(wc, indexer, .*\) nor a module path \(write \.\/wordcount/,
    );
    await expect(loadApp(join(scratch, "nope.mjs"))).rejects.toThrow(
      /no such module file .*nope\.mjs/,
    );
    await expect(loadApp(scratch + "/")).rejects.toThrow(AppLoadError);
    const broken = module("broken.mjs", "export function map( {\n");
    await expect(loadApp(broken)).rejects.toThrow(/broken\.mjs failed to load: /);
    const throws = module("throws.mjs", "throw new Error('init failed');\n");
    await expect(loadApp(throws)).rejects.toThrow(/failed to load: init failed/);
  });
});
