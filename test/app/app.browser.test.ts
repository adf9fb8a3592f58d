// Issue 14: the reference app in a real browser (Debian's chromium), through @apollo/gateway on the
// demo data, at a phone's viewport and at a desktop's: every screen state of the flow, an
// accessibility check (axe-core) of each, screenshots, and the first load measured (reported).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipWithoutChromium } from "../support/browser";
import { DEMO_KEY } from "../support/server";
import {
  allocateWith,
  builtAppInChromium,
  expectAccessible,
  expectGeneratedOperationsOnly,
  findShipment,
  openAppSession,
  ref,
  region,
  signIn,
  VIEWPORTS,
  type AppSession,
} from "./app-session";

const FIRST_LOAD_REPORT = path.resolve(__dirname, "../../test-results/app-first-load.json");
const skip = skipWithoutChromium("app.browser.test.ts");

describe.skipIf(skip)("the reference app in a browser, through the gateway", () => {
  const built = builtAppInChromium();
  const firstLoads: Record<string, Record<string, number>> = {};

  afterAll(async () => {
    if (Object.keys(firstLoads).length > 0) {
      console.info(`app first load (ms): ${JSON.stringify(firstLoads)}`);
      await mkdir(path.dirname(FIRST_LOAD_REPORT), { recursive: true });
      await writeFile(FIRST_LOAD_REPORT, `${JSON.stringify(firstLoads, null, 2)}\n`);
    }
  });

  describe.each(VIEWPORTS)("at the $name viewport", (viewport) => {
    let session: AppSession;
    let page: Page;

    beforeAll(async () => {
      // each viewport starts from the demo data afresh
      session = await openAppSession(built.browser(), built.outDir(), viewport);
      page = session.page;
    });

    afterAll(async () => {
      await session?.close();
    });

    it("first load: the sign-in screen, with a cold cache (time reported, not asserted)", async () => {
      const started = Date.now();
      await page.goto(session.stack.url);
      await page.getByLabel("API key").waitFor();
      const shown = Date.now() - started;
      const timing = await page.evaluate<{ domContentLoadedEventEnd: number; loadEventEnd: number }>(
        "(({ domContentLoadedEventEnd, loadEventEnd }) => ({ domContentLoadedEventEnd, loadEventEnd }))(performance.getEntriesByType('navigation')[0])",
      );
      firstLoads[viewport.name] = {
        signInShown: shown,
        domContentLoaded: Math.round(timing.domContentLoadedEventEnd),
        load: Math.round(timing.loadEventEnd),
      };

      await expect.poll(() => page.evaluate("document.activeElement === document.querySelector('input[type=password]')")).toBe(true);
      await expectAccessible(page, "sign-in");
      await session.shot("sign-in");
    });

    it("a refused API key has its own screen, which leads back to sign-in and forgets the key", async () => {
      await signIn(page, "not-a-key");
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

      expect(page.url()).toBe(session.stack.url);
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
      await session.shot("not-found");

      await page.getByLabel("Shipment reference").focus();
      await page.keyboard.type(`${ref(912)}\n`, { delay: 5 });
      await expect.poll(() => region(page, "Shipment").innerText()).toContain("Not allocated yet");
      expect(await region(page, "Shipment").innerText()).toContain(ref(912));
    });

    it("network down: the lookup has its own screen, and Retry works once the network is back", async () => {
      await page.route("**/graphql", (route) => route.abort("internetdisconnected"));
      await page.getByLabel("Shipment reference").fill(ref(912));
      await page.getByRole("button", { name: "Find" }).click();
      await expect.poll(() => page.getByRole("alert").innerText()).toContain("The server could not be reached");
      await expectAccessible(page, "network down");
      await session.shot("network-down");

      await page.unroute("**/graphql");
      await page.getByRole("button", { name: "Retry" }).click();
      await expect.poll(() => region(page, "Shipment").innerText()).toContain("Not allocated yet");
    });

    it("allocating with an unknown reference says so in plain words", async () => {
      await allocateWith(page, "NOPE-1");
      await expect.poll(() => region(page, "Allocate").innerText()).toContain("No carrier service or service group is called NOPE-1");
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
      await session.shot("ambiguous");

      await group.getByRole("button", { name: "Allocate with this group" }).click();
      const outcome = region(page, "Allocate");
      await expect.poll(() => outcome.innerText()).toContain("Not allocated");
      const text = await outcome.innerText();
      expect(text).toContain("no service in the group is eligible");
      expect(text).toMatch(/Evri - 48 Hour\s+Does not take this shipment: Service does not carry on_demand shipments/);
      expect(text).toMatch(/Royal Mail - Tracked 48\s+Does not take this shipment: Service does not carry on_demand shipments/);
      await expect.poll(() => region(page, "Shipment").innerText()).toContain("Allocation failed");
      await expectAccessible(page, "allocation failed");
      await session.shot("not-allocated");
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
      await expect.poll(() => region(page, "Allocate").getByRole("alert").innerText()).toContain("Allocating did not work");
      await page.getByRole("button", { name: "Retry" }).click();

      await expect.poll(() => region(page, "Allocate").innerText()).toContain("Allocated");
      expect(await region(page, "Allocate").innerText()).toContain("Lineten - Standard On Demand (Lineten), GBP 2.00");
      expect(await region(page, "Allocate").innerText()).toContain("Tracking: 19297253");
      await expect.poll(() => region(page, "Shipment").innerText()).toContain("Allocated");
      expect(await region(page, "Shipment").innerText()).toContain("19297253");
      const attempts = session.requests
        .filter((r) => r.url().endsWith("/graphql") && r.postDataJSON()?.operationName === "AllocateShipmentWithVirtualService")
        .map((r) => r.postDataJSON().variables);
      const lastTwo = attempts.slice(-2);
      expect(lastTwo).toHaveLength(2);
      expect(lastTwo[0]).toEqual(lastTwo[1]);
      expect(lastTwo[0].idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
      await page.unroute("**/graphql");
      await expectAccessible(page, "allocated");
      await session.shot("allocated");
    });

    it("an ambiguous reference allocated with its carrier service", async () => {
      await findShipment(page, ref(913));
      await allocateWith(page, "EVRI-00048");
      const choices = page.getByRole("group", { name: "Which EVRI-00048?" });
      await choices.getByRole("button", { name: "Allocate with this service" }).click();

      await expect.poll(() => region(page, "Allocate").innerText()).toContain("Allocated");
      expect(await region(page, "Allocate").innerText()).toContain("Evri - 48 Hour (Evri)");
      await expect.poll(() => region(page, "Shipment").innerText()).toContain("Evri - 48 Hour");
    });

    it("reaches the API only with the generated operations, on its own origin", () => {
      expect(expectGeneratedOperationsOnly(session)).toEqual(
        expect.arrayContaining([
          "AllocateShipmentWithCarrierService",
          "AllocateShipmentWithServiceGroup",
          "AllocateShipmentWithVirtualService",
          "CarrierService",
          "ServiceGroup",
          "Shipment",
        ]),
      );
    });
  });
});
