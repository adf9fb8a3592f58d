// Issue 14: the reference app in a real browser (Debian's chromium), through @apollo/gateway on the
// demo data, at a phone's viewport and at a desktop's: every screen state of the flow, an
// accessibility check (axe-core) of each, screenshots, and the first load measured (reported).
import axe from "axe-core";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "graphql";
import type { Browser, BrowserContextOptions, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppStack, type AppStack } from "../../app/server/stack";
import { launchChromium, skipWithoutChromium } from "../support/browser";
import { DEMO_KEY } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { buildApp } from "./build";

const ROOT = path.resolve(__dirname, "../..");
// UPDATE_SCREENSHOTS=true refreshes the README's pictures; otherwise they go to test-results/
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "true" ? path.join(ROOT, "docs/screenshots") : path.join(ROOT, "test-results/app");
const ref = (n: number) => `sp_00802615769404976542730318118${n}`;

const VIEWPORTS: { name: string; options: BrowserContextOptions }[] = [
  { name: "phone", options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
  { name: "desktop", options: { viewport: { width: 1280, height: 800 } } },
];

/** The operations of schema/operations/: the only ones the app may send. */
const GENERATED_OPERATIONS = new Set(
  readdirSync(path.join(ROOT, "schema/operations"))
    .filter((file) => file.endsWith(".graphql"))
    .flatMap((file) => parse(readFileSync(path.join(ROOT, "schema/operations", file), "utf8")).definitions)
    .flatMap((definition) => (definition.kind === "OperationDefinition" && definition.name ? [definition.name.value] : [])),
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is now: no serious or critical violation; and nothing wider than the screen. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  // a phone zooms out to show a page that is too wide: compare with the width the page was given
  expect(await page.evaluate("document.documentElement.scrollWidth"), `${state}: wider than the screen`).toBeLessThanOrEqual(page.viewportSize()!.width);
  if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.addScriptTag({ content: axe.source });
  const violations = (await page.evaluate("axe.run(document).then((r) => r.violations)")) as AxeViolation[];
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${state}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

const skip = skipWithoutChromium("app.browser.test.ts");

describe.skipIf(skip)("the reference app in a browser, through the gateway", () => {
  let outDir: string;
  let browser: Browser;
  const firstLoads: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    [outDir, browser] = await Promise.all([buildApp(), launchChromium()]);
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
    if (Object.keys(firstLoads).length > 0) {
      console.info(`app first load (ms): ${JSON.stringify(firstLoads)}`);
      await writeFile(path.join(ROOT, "test-results/app-first-load.json"), `${JSON.stringify(firstLoads, null, 2)}\n`);
    }
  });

  describe.each(VIEWPORTS)("at the $name viewport", ({ name, options }) => {
    let store: DemoStore;
    let stack: AppStack;
    let page: Page;
    const requests: Request[] = [];
    const shot = (state: string) => page.screenshot({ path: path.join(SCREENSHOTS, `app-${name}-${state}.png`), fullPage: true });

    beforeAll(async () => {
      // each viewport starts from the demo data afresh
      store = await openDemoPglite();
      stack = await startAppStack(store, { port: 0, staticDir: outDir });
      const context = await browser.newContext({ ...options, locale: "en-GB", timezoneId: "Europe/London" });
      page = await context.newPage();
      page.on("request", (request) => requests.push(request));
    });

    afterAll(async () => {
      await page?.context().close();
      await stack?.stop();
      await store?.close();
    });

    it("first load: the sign-in screen, with a cold cache (time reported, not asserted)", async () => {
      const started = Date.now();
      await page.goto(stack.url);
      await page.getByLabel("API key").waitFor();
      const shown = Date.now() - started;
      const timing = (await page.evaluate(
        "(({ domContentLoadedEventEnd, loadEventEnd }) => ({ domContentLoadedEventEnd, loadEventEnd }))(performance.getEntriesByType('navigation')[0])",
      )) as { domContentLoadedEventEnd: number; loadEventEnd: number };
      firstLoads[name] = {
        signInShown: shown,
        domContentLoaded: Math.round(timing.domContentLoadedEventEnd),
        load: Math.round(timing.loadEventEnd),
      };

      await expect.poll(() => page.evaluate("document.activeElement?.id === document.querySelector('input[type=password]')?.id")).toBe(true);
      await expectAccessible(page, "sign-in");
      await shot("sign-in");
    });

    it("a refused API key has its own screen, which leads back to sign-in and forgets the key", async () => {
      await page.getByLabel("API key").fill("not-a-key");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByLabel("Shipment reference").fill(ref(912));
      await page.getByRole("button", { name: "Find" }).click();

      await expect.poll(() => page.getByRole("alert").innerText()).toContain("Your API key was not accepted");
      await expectAccessible(page, "key refused");
      await page.getByRole("button", { name: "Sign in again" }).click();
      await page.getByLabel("API key").waitFor();
      expect(await page.evaluate("Object.keys(sessionStorage).length")).toBe(0);
    });

    it("signs in with the key kept in session storage, never in the URL", async () => {
      await page.getByLabel("API key").fill(DEMO_KEY);
      await page.keyboard.press("Enter");
      await page.getByLabel("Shipment reference").waitFor();

      expect(page.url()).toBe(stack.url);
      expect(page.url()).not.toContain(DEMO_KEY);
      expect(await page.evaluate("Object.values(sessionStorage)")).toEqual([DEMO_KEY]);
      // a reload keeps the session: the find screen again, no sign-in
      await page.reload();
      await page.getByLabel("Shipment reference").waitFor();
    });

    it("finds a shipment typed by a barcode scanner (keys, then Enter); an unknown one has its own screen", async () => {
      // the field has the focus: a scanner in keyboard mode types the code and presses Enter
      await page.keyboard.type(`${ref(999)}\n`, { delay: 5 });
      await expect.poll(() => page.getByRole("alert").innerText()).toContain(`No shipment ${ref(999)} in your account`);
      await expectAccessible(page, "shipment not found");
      await shot("not-found");

      await page.getByLabel("Shipment reference").focus();
      await page.keyboard.type(`${ref(912)}\n`, { delay: 5 });
      const card = page.getByRole("region", { name: "Shipment", exact: true });
      await expect.poll(() => card.innerText()).toContain("Not allocated yet");
      expect(await card.innerText()).toContain(ref(912));
    });

    it("network down: the lookup has its own screen, and Retry works once the network is back", async () => {
      await page.route("**/graphql", (route) => route.abort("internetdisconnected"));
      await page.getByLabel("Shipment reference").fill(ref(912));
      await page.getByRole("button", { name: "Find" }).click();
      await expect.poll(() => page.getByRole("alert").innerText()).toContain("The server could not be reached");
      await expectAccessible(page, "network down");
      await shot("network-down");

      await page.unroute("**/graphql");
      await page.getByRole("button", { name: "Retry" }).click();
      await expect.poll(() => page.getByRole("region", { name: "Shipment", exact: true }).innerText()).toContain("Not allocated yet");
    });

    it("allocating with an unknown reference says so in plain words", async () => {
      await allocateWith(page, "NOPE-1");
      await expect.poll(() => allocateRegion(page).innerText()).toContain("No carrier service or service group is called NOPE-1");
      await expectAccessible(page, "service not found");
    });

    it("an ambiguous reference offers its two choices, each described; the group's failure lists every excluded service's reason", async () => {
      await allocateWith(page, "EVRI-00048");
      const choices = page.getByRole("group", { name: "Which EVRI-00048?" });
      const service = choices.getByRole("region", { name: "Carrier service EVRI-00048" });
      const group = choices.getByRole("region", { name: "Service group EVRI-00048" });
      // what each choice is, from the carrierService and serviceGroup queries
      await expect.poll(() => service.innerText()).toContain("Evri - 48 Hour");
      await expect.poll(() => group.innerText()).toContain("The cheapest of: Evri - 48 Hour, Royal Mail - Tracked 48");
      await expectAccessible(page, "ambiguous reference");
      await shot("ambiguous");

      await group.getByRole("button", { name: "Allocate with this group" }).click();
      const outcome = allocateRegion(page);
      await expect.poll(() => outcome.innerText()).toContain("Not allocated");
      const text = await outcome.innerText();
      expect(text).toContain("no service in the group is eligible");
      expect(text).toMatch(/Evri - 48 Hour\s+Does not take this shipment: Service does not carry on_demand shipments/);
      expect(text).toMatch(/Royal Mail - Tracked 48\s+Does not take this shipment: Service does not carry on_demand shipments/);
      await expect.poll(() => page.getByRole("region", { name: "Shipment", exact: true }).innerText()).toContain("Allocation failed");
      await expectAccessible(page, "allocation failed");
      await shot("not-allocated");
    });

    it("a connection lost after the server allocated: Retry sends the same idempotency key and shows that allocation", async () => {
      let dropped = 0;
      // the request reaches the gateway and allocates; the answer is lost on the way back
      await page.route("**/graphql", async (route) => {
        if (dropped > 0 || route.request().postDataJSON()?.operationName !== "AllocateShipmentWithVirtualService") return route.continue();
        dropped += 1;
        await route.fetch();
        await route.abort("connectionreset");
      });
      await allocateWith(page, "FF_LINET-00001");
      await expect.poll(() => allocateRegion(page).getByRole("alert").innerText()).toContain("Allocating did not work");
      await page.getByRole("button", { name: "Retry" }).click();

      await expect.poll(() => allocateRegion(page).innerText()).toContain("Allocated");
      expect(await allocateRegion(page).innerText()).toContain("Lineten - Standard On Demand (Lineten), GBP 2.00");
      expect(await allocateRegion(page).innerText()).toContain("Tracking: 19297253");
      const card = page.getByRole("region", { name: "Shipment", exact: true });
      await expect.poll(() => card.innerText()).toContain("Allocated");
      expect(await card.innerText()).toContain("19297253");
      const attempts = requests
        .filter((r) => r.url().endsWith("/graphql") && r.postDataJSON()?.operationName === "AllocateShipmentWithVirtualService")
        .map((r) => r.postDataJSON().variables);
      const lastTwo = attempts.slice(-2);
      expect(lastTwo).toHaveLength(2);
      expect(lastTwo[0]).toEqual(lastTwo[1]);
      expect(lastTwo[0].idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
      await page.unroute("**/graphql");
      await expectAccessible(page, "allocated");
      await shot("allocated");
    });

    it("an ambiguous reference allocated with its carrier service", async () => {
      await page.getByLabel("Shipment reference").fill(ref(913));
      await page.getByRole("button", { name: "Find" }).click();
      await expect.poll(() => page.getByRole("region", { name: "Shipment", exact: true }).innerText()).toContain(ref(913));
      await allocateWith(page, "EVRI-00048");
      const choices = page.getByRole("group", { name: "Which EVRI-00048?" });
      await choices.getByRole("button", { name: "Allocate with this service" }).click();

      await expect.poll(() => allocateRegion(page).innerText()).toContain("Allocated");
      expect(await allocateRegion(page).innerText()).toContain("Evri - 48 Hour (Evri)");
      await expect.poll(() => page.getByRole("region", { name: "Shipment", exact: true }).innerText()).toContain("Evri - 48 Hour");
    });

    it("reaches the API only with the generated operations, on its own origin", () => {
      const origin = new URL(stack.url).origin;
      const graphql = requests.filter((r) => new URL(r.url()).pathname === "/graphql");
      const sent = new Set(graphql.map((r) => r.postDataJSON()?.operationName as string));

      expect(requests.filter((r) => !r.url().startsWith(origin))).toEqual([]);
      expect(graphql.every((r) => r.method() === "POST")).toBe(true);
      expect([...sent].filter((operation) => !GENERATED_OPERATIONS.has(operation))).toEqual([]);
      // the flow above used each of them
      expect([...sent].sort()).toEqual([...GENERATED_OPERATIONS].sort());
    });
  });
});

function allocateRegion(page: Page) {
  return page.getByRole("region", { name: "Allocate", exact: true });
}

async function allocateWith(page: Page, virtualServiceRef: string): Promise<void> {
  await page.getByLabel("Virtual service reference").fill(virtualServiceRef);
  await page.getByRole("button", { name: "Allocate", exact: true }).click();
}
