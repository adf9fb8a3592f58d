// Issue 14: the app is light: its production build is at most 250 kB of JavaScript, gzipped.
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, gzippedScripts } from "./build";

const BUDGET_BYTES = 250_000;

describe("the app's production build", () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await buildApp();
  });

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it("is at most 250 kB of JavaScript gzipped", async () => {
    const scripts = await gzippedScripts(outDir);
    const total = scripts.reduce((sum, script) => sum + script.bytes, 0);
    console.info(`app JavaScript: ${(total / 1000).toFixed(1)} kB gzipped in ${scripts.length} file(s) (budget ${BUDGET_BYTES / 1000} kB)`);

    expect(scripts.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
