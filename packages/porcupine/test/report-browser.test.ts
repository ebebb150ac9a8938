import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOperationsSync, kvModel, parseKvLog } from "../src/index.js";
import { renderHtmlReport } from "../src/report/render-html-report.js";
import { dataDir } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));

describe("HTML report in a real browser", () => {
  let context: BrowserContext;
  let profile = "";
  let reportUrl = "";

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium' or set CHROMIUM_PATH to a Chromium binary`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const history = parseKvLog(readFileSync(join(dataDir(), "kv/c01-bad.txt"), "utf8"));
    const result = checkOperationsSync(kvModel(), history, { collectInfo: true });
    const file = join(ARTIFACTS, "report-c01-bad.html");
    writeFileSync(
      file,
      renderHtmlReport([{ name: "c01-bad.txt", model: kvModel(), history, result }]),
    );
    reportUrl = pathToFileURL(file).href;
    profile = mkdtempSync(join(tmpdir(), "porcupine-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1400, height: 700 },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("highlights where an illegal history gets stuck and shows the states along the prefix", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(reportUrl);

    await expect(page.locator("#verdict").textContent()).resolves.toBe("NOT linearizable");
    // The illegal partition is selected: one stuck operation, highlighted, with a line at its return.
    const stuck = page.locator(".op.stuck");
    await stuck.waitFor({ state: "visible" });
    expect(await stuck.count()).toBe(1);
    const stuckBox = (await stuck.boundingBox())!;
    const lineBox = (await page.locator("#stuck-line").boundingBox())!;
    expect(Math.abs(lineBox.x - (stuckBox.x + stuckBox.width))).toBeLessThan(4);
    // The page runs in the browser, where getComputedStyle exists; node types do not know it.
    const borderColor = await stuck.evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }
        ).getComputedStyle(el).borderTopColor,
    );
    expect(borderColor).toBe("rgb(198, 40, 40)");
    expect(await page.locator("#state-table tr.stuck-row").count()).toBe(1);

    // Clicking the stuck operation tells why, with the model state at that point.
    await stuck.click();
    const details = await page.locator("#details").textContent();
    expect(details).toContain("its return comes before it can be linearized after the prefix");
    expect(details).toMatch(/state when stuck\s*"/);

    // Hovering an operation of the prefix shows its position and the state after it.
    const first = page.locator(".op.linearized").first();
    await first.hover();
    expect(await page.locator("#details").textContent()).toMatch(
      /linearized\s*#\d+[\s\S]*state after/,
    );

    await page.screenshot({ path: join(ARTIFACTS, "report-illegal.png"), fullPage: true });
    expect(existsSync(join(ARTIFACTS, "report-illegal.png"))).toBe(true);

    // Selecting a linearizable partition shows its linearization and no stuck point.
    const okButton = page.locator("nav#partitions button:has(.dot.ok)").first();
    await okButton.click();
    expect(await page.locator(".op.stuck").count()).toBe(0);
    expect(await page.locator("#details h2").first().textContent()).toMatch(
      /^Linearization \(\d+ operations\)$/,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
