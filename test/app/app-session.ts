// The reference app in chromium for one viewport: its own stack on the demo data, and the steps and
// checks the browser tests share.
import axe from "axe-core";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContextOptions, Page, Request } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startAppStack, type AppStack } from "../../app/server/stack";
import { launchChromium } from "../support/browser";
import { DEMO_KEY } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { buildApp } from "./build";
import { generatedOperationNames } from "./operations";

const ROOT = path.resolve(__dirname, "../..");
// UPDATE_SCREENSHOTS=true refreshes the README's pictures; otherwise they go to test-results/
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "true" ? path.join(ROOT, "docs/screenshots") : path.join(ROOT, "test-results/app");

export const ref = (n: number) => `sp_00802615769404976542730318118${n}`;

export const VIEWPORTS: { name: string; options: BrowserContextOptions }[] = [
  { name: "phone", options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
  { name: "desktop", options: { viewport: { width: 1280, height: 800 } } },
];

/** For the enclosing suite: the app's production build and a chromium, made before its tests and removed after. */
export function builtAppInChromium(): { browser(): Browser; outDir(): string } {
  let outDir: string | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [outDir, browser] = await Promise.all([buildApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });
  return { browser: () => browser!, outDir: () => outDir! };
}

export interface AppSession {
  page: Page;
  stack: AppStack;
  /** every request the page made */
  requests: Request[];
  /** saves a full-page screenshot named app-<viewport>-<state>.png */
  shot(state: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh stack on the demo data serving the build in `staticDir`, and a page for it at the viewport. */
export async function openAppSession(browser: Browser, staticDir: string, viewport: (typeof VIEWPORTS)[number]): Promise<AppSession> {
  const store: DemoStore = await openDemoPglite();
  const stack = await startAppStack(store, { port: 0, staticDir });
  const context = await browser.newContext({ ...viewport.options, locale: "en-GB", timezoneId: "Europe/London" });
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on("request", (request) => requests.push(request));
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    page,
    stack,
    requests,
    shot: async (state) => {
      // from the top, so that the sticky header is where a person sees it
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: path.join(SCREENSHOTS, `app-${viewport.name}-${state}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      await stack.stop();
      await store.close();
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: no serious or critical violation; and nothing wider than the screen. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  // a phone zooms out to show a page that is too wide: compare with the width the page was given
  expect(await page.evaluate("document.documentElement.scrollWidth"), `${state}: wider than the screen`).toBeLessThanOrEqual(page.viewportSize()!.width);
  if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate<AxeViolation[]>("axe.run(document).then((r) => r.violations)");
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${state}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

export const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

export async function signIn(page: Page, apiKey = DEMO_KEY): Promise<void> {
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Shipment reference").waitFor();
}

/** Finds a shipment and waits for its card. */
export async function findShipment(page: Page, reference: string): Promise<void> {
  await page.getByLabel("Shipment reference").fill(reference);
  await page.getByRole("button", { name: "Find" }).click();
  await expect.poll(() => region(page, "Shipment").innerText()).toContain(reference);
}

export async function allocateWith(page: Page, virtualServiceRef: string): Promise<void> {
  await page.getByLabel("Virtual service reference").fill(virtualServiceRef);
  await page.getByRole("button", { name: "Allocate", exact: true }).click();
}

/** The page talked only to its own origin, and to /graphql only with generated operations; returns their names. */
export function expectGeneratedOperationsOnly(session: AppSession): string[] {
  const origin = new URL(session.stack.url).origin;
  // blob: and data: are the page's own bytes; chrome-extension: and chrome: are the browser's built-in PDF viewer showing the label
  const requests = session.requests.filter((r) => !/^(blob|data|chrome-extension|chrome):/.test(r.url()));
  const graphql = requests.filter((r) => new URL(r.url()).pathname === "/graphql");
  const sent = [...new Set(graphql.map((r) => r.postDataJSON()?.operationName as string))].sort();
  const generated = new Set(generatedOperationNames());

  expect(requests.filter((r) => !r.url().startsWith(origin)).map((r) => r.url())).toEqual([]);
  expect(graphql.every((r) => r.method() === "POST")).toBe(true);
  expect(sent.filter((operation) => !generated.has(operation))).toEqual([]);
  return sent;
}
