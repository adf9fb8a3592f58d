// A real browser (Debian's chromium) opens GraphQL Playground on the subgraph, with nothing but
// loopback reachable, runs the documented example from the page's tab and finds the AllocateResult.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, skipWithoutChromium } from "../support/browser";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const SCREENSHOT = path.resolve(__dirname, "../../test-results/playground.png");
const skip = skipWithoutChromium("playground.browser.test.ts");

describe.skipIf(skip)("GraphQL Playground in a browser", () => {
  let store: DemoStore;
  let server: HttpTestServer;
  let browser: Browser;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store, { playground: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await store?.close();
  });

  it("runs the documented example offline and shows the AllocateResult", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    const failed: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("requestfailed", (request) => failed.push(request.url()));
    page.on("response", (response) => response.ok() || failed.push(`${response.status()} ${response.url()}`));

    await page.goto(server.url, { waitUntil: "load" });
    // the play button; its class names are hashed by styled-components, its title is stable
    await page.locator("[title^='Execute Query']").click({ timeout: 30_000 });
    // the response pane: the editor that shows a JSON response (the query editor has no "data" key)
    const result = page.locator(".CodeMirror").filter({ hasText: '"data"' });
    await expect.poll(() => result.innerText(), { timeout: 30_000 }).toContain("19297253");
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    const text = await result.innerText();
    expect(text).toContain('"__typename": "AllocateResult"');
    expect(text).toContain('"state": "ALLOCATED"');
    const offHost = requested.filter((url) => !/^(data:|blob:)/.test(url) && new URL(url).hostname !== "localhost");
    expect(offHost).toEqual([]);
    expect(requested.some((url) => url.includes("/playground-assets/"))).toBe(true);
    // every asset the page asks for is served: the vendored subset of the build is complete
    expect(failed).toEqual([]);
  });
});
