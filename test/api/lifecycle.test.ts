// Rule numbers: docs/allocation-rules.md
// Rules 14-16, 18 and 19 through the schema (executeOperation): preview with a quote, allocate with
// that quote, deallocate and reallocate. One describe per rule, each on its own demo store, once on
// PGlite and once on PostgreSQL.
import { createHmac, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/config";
import demo from "../../data/demo-dataset.json";
import { importDataset } from "../../src/store/import-dataset";
import type { DatasetCarrierService } from "../../src/import/dataset";
import { addToDemo } from "../batching/datasets";
import { tableDump } from "../import/tables";
import { BASE_URL, NORTHWIND_KEY } from "../support/server";
import { describeStores } from "../support/stores";
import { NORTHWIND_SHIPMENT, sp, successLinks, writtenState } from "./api";
import { DEALLOCATE, useLifecycleApi } from "./lifecycle";

const price = (net: string, gross: string, reference: string, amount: string, type = "Standard", value = "0.2") => ({
  net,
  gross,
  currency: "GBP",
  taxes: [{ amount, rate: { reference, countryIsoCode: "GB", type, value } }],
});
const candidate = (carrier: string, service: string, candidatePrice: unknown, exclusion: unknown) => ({
  carrier: expect.objectContaining({ reference: carrier, serviceReference: service }),
  carrierService: { reference: service },
  price: candidatePrice,
  exclusion,
});
const CHEAPER = { code: "ex_rates", reason: "A cheaper service was selected" };

afterEach(() => void vi.useRealTimers());

describeStores("rule 14: previewAllocationWithVirtualService", (open) => {
  const api = useLifecycleApi(open);

  it("quotes what the allocation would choose and lists every candidate in group order", async () => {
    const result = await api.preview(sp(913), "UK_ECONOMY");

    expect(result).toMatchObject({
      __typename: "AllocationPreview",
      shipmentReference: sp(913),
      state: "UNALLOCATED",
      allocatable: true,
      details: [],
      shipment: { reference: sp(913), state: "UNALLOCATED" },
      quote: {
        carrier: { reference: "EVRI", name: "Evri", serviceReference: "EVRI-00048", serviceName: "Evri - 48 Hour" },
        carrierService: { reference: "EVRI-00048" },
        price: price("2.79", "3.35", "EVRI-00048", "0.56"),
      },
    });
    // a dearer member priced and excluded, an ineligible one unpriced
    expect(result.candidates).toEqual([
      candidate("RM", "RM-00048", price("3.10", "3.72", "RM-00048", "0.62"), CHEAPER),
      candidate("EVRI", "EVRI-00048", price("2.79", "3.35", "EVRI-00048", "0.56"), null),
      candidate("DPD", "DPD-00012", price("4.50", "5.40", "DPD-00012", "0.90"), CHEAPER),
      candidate("DPD", "DPD-00099", null, { code: "ex_inactive", reason: "Service is not active" }),
    ]);
    expect(result.quote.reference).toEqual(expect.any(String));
  });

  it("has one candidate for a carrier service", async () => {
    const result = await api.preview(sp(913), "DPD-00012");

    expect(result).toMatchObject({ allocatable: true, quote: { carrierService: { reference: "DPD-00012" } } });
    expect(result.candidates).toEqual([candidate("DPD", "DPD-00012", price("4.50", "5.40", "DPD-00012", "0.90"), null)]);
  });

  it("writes nothing: no row, no tracking counter", async () => {
    const before = await tableDump(api.store);

    for (const [shipment, reference] of [
      [sp(913), "UK_ECONOMY"],
      [sp(912), "FF_LINET-00001"],
      [sp(919), "INTERNATIONAL"],
      [sp(920), "DPD-00012"],
    ]) {
      await api.preview(shipment, reference);
    }

    expect(await tableDump(api.store)).toEqual(before);
  });

  it("answers an unknown shipment, an unknown reference and an ambiguous one as the allocation does", async () => {
    const unknownShipment = await api.preview("sp_unknown", "UK_ECONOMY");
    const unknownReference = await api.preview(sp(913), "NO_SUCH_REFERENCE");
    const ambiguous = await api.preview(sp(913), "EVRI-00048");

    expect(unknownShipment).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found", reference: "sp_unknown" });
    expect(unknownReference).toMatchObject({
      __typename: "ReferenceNotFoundError",
      code: "virtual_service_not_found",
      reference: "NO_SUCH_REFERENCE",
    });
    expect(ambiguous).toMatchObject({
      __typename: "AmbiguousReferenceError",
      code: "non_unique_reference",
      carrierService: { reference: "EVRI-00048" },
      serviceGroup: { reference: "EVRI-00048" },
    });
  });

  it("answers a state that forbids allocation with allocatable false, no quote, no candidates and shipment_invalid_state", async () => {
    const result = await api.preview(sp(920), "DPD-00012");

    expect(result).toMatchObject({
      __typename: "AllocationPreview",
      state: "CANCELLED",
      allocatable: false,
      quote: null,
      candidates: [],
      details: [{ code: "shipment_invalid_state", property: "state" }],
    });
  });

  it("answers nothing eligible with rule 11's details and every candidate excluded, and leaves the state as stored", async () => {
    const result = await api.preview(sp(919), "INTERNATIONAL");

    expect(result).toMatchObject({ state: "UNALLOCATED", allocatable: false, quote: null });
    expect(result.details).toEqual([
      {
        code: "allocation_failed",
        message: `Shipment ${sp(919)} could not be allocated: no service in the group is eligible`,
        property: null,
      },
    ]);
    expect(result.candidates).toEqual([
      candidate("DPD", "DPD-00019", null, { code: "ex_availability", reason: "Service does not deliver to JP" }),
      candidate("RM", "RM-00091", null, { code: "ex_weight", reason: "Weight 5 kg exceeds 2 kg" }),
    ]);
    expect(await api.shipment(sp(919))).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });

  it("shows a single carrier service's shipment-type mismatch as the allocation would", async () => {
    const result = await api.preview(sp(912), "DPD-00012");

    expect(result.details.map((d: { code: string }) => d.code)).toEqual(["allocation_failed", "carrier_service_shipment_mismatch"]);
    expect(result.candidates).toEqual([
      candidate("DPD", "DPD-00012", null, { code: "ex_rules", reason: "Service does not carry on_demand shipments" }),
    ]);
  });

  it("lists a member priced in another currency than the contents unpriced, with ex_rates", async () => {
    // Arrange: a euro copy of RM-00048 at the head of a group
    await importDataset(
      api.store,
      addToDemo({
        carrierServices: [demoService("RM-00048", { reference: "RM-EURO", name: "Royal Mail - Euro", currency: "EUR" })],
        serviceGroups: [{ account: "demo", reference: "WITH_EURO", name: "With a euro service", services: ["RM-EURO", "RM-00048"] }],
      }),
    );
    // Act
    const result = await api.preview(sp(913), "WITH_EURO");
    // Assert
    expect(result.candidates).toEqual([
      candidate("RM", "RM-EURO", null, { code: "ex_rates", reason: "Price in EUR is not compared with contents in GBP" }),
      candidate("RM", "RM-00048", price("3.10", "3.72", "RM-00048", "0.62"), null),
    ]);
  });
});

describeStores("rule 15: a quote", (open) => {
  const api = useLifecycleApi(open);

  it("expires QUOTE_TTL_SECONDS after the preview (1800 by default)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T09:00:00.000Z"));

    const result = await api.preview(sp(913), "UK_ECONOMY");

    expect(loadConfig({}).quoteTtlSeconds).toBe(1800);
    expect(result.quote.expiresAt).toBe("2026-12-01T09:30:00.000Z");
  });

  it("is refused from expiresAt on, with quote_expired and expiredAt, and nothing changes", async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T09:00:00.000Z"));
    const { quote } = await api.preview(sp(913), "UK_ECONOMY");
    const before = await writtenState(api.store);
    vi.setSystemTime(new Date(quote.expiresAt));
    // Act
    const result = await api.allocateWithQuote(sp(913), quote.reference);
    // Assert
    expect(result).toMatchObject({
      __typename: "QuoteExpiredError",
      code: "quote_expired",
      reference: quote.reference,
      expiredAt: "2026-12-01T09:30:00.000Z",
    });
    expect(await writtenState(api.store)).toEqual(before);
  });

  it("is accepted until the instant before expiresAt", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T09:00:00.000Z"));
    const { quote } = await api.preview(sp(915), "UK_ECONOMY");
    vi.setSystemTime(new Date(Date.parse(quote.expiresAt) - 1));

    const result = await api.allocateWithQuote(sp(915), quote.reference);

    expect(result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED" });
  });

  it("is unknown with any one character changed, wherever it is", async () => {
    const { quote } = await api.preview(sp(916), "NEXT_DAY");
    const reference: string = quote.reference;

    const answers = new Set<string>();
    for (let i = 0; i < reference.length; i++) {
      const changed = reference.slice(0, i) + (reference[i] === "A" ? "B" : "A") + reference.slice(i + 1);
      const result = await api.allocateWithQuote(sp(916), changed);
      answers.add(`${result.__typename} ${result.code} ${result.reference === changed}`);
    }

    expect([...answers]).toEqual(["ReferenceNotFoundError quote_not_found true"]);
    expect(await api.shipment(sp(916))).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });

  it("is compared as given: a last character that decodes to the same bytes is unknown", async () => {
    const { quote } = await api.preview(sp(916), "NEXT_DAY");
    const reference: string = quote.reference;
    const signature = reference.slice(reference.lastIndexOf(".") + 1);
    // 32 bytes in 43 characters: the last one's two low bits carry nothing
    const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = ALPHABET[ALPHABET.indexOf(signature.at(-1)!) ^ 1];
    const respelt = reference.slice(0, -1) + sibling;
    expect(Buffer.from(respelt.slice(respelt.lastIndexOf(".") + 1), "base64url")).toEqual(Buffer.from(signature, "base64url"));

    const result = await api.allocateWithQuote(sp(916), respelt);

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "quote_not_found", reference: respelt });
  });

  it("is unknown when extended, made up, or signed with another key", async () => {
    const { quote } = await api.preview(sp(916), "NEXT_DAY");
    const [version, payload] = quote.reference.split(".");
    const otherKey = createHmac("sha256", randomBytes(32)).update(`${version}.${payload}`).digest("base64url");
    const references = [
      `${quote.reference}A`,
      `${quote.reference}=`,
      `${quote.reference}.`,
      "",
      "q1..",
      "NOT-A-QUOTE",
      "x".repeat(100_000),
      `${version}.${payload}.${otherKey}`,
    ];

    const results = [];
    for (const reference of references) results.push(await api.allocateWithQuote(sp(916), reference));

    expect(results.map((r, i) => [r.code, r.reference === references[i]])).toEqual(references.map(() => ["quote_not_found", true]));
    expect(await api.shipment(sp(916))).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });

  it("is for its own shipment only", async () => {
    const { quote } = await api.preview(sp(916), "NEXT_DAY");

    const result = await api.allocateWithQuote(sp(913), quote.reference);

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "quote_not_found", reference: quote.reference });
    expect(await api.shipment(sp(913))).toMatchObject({ state: "UNALLOCATED" });
  });

  it("stays valid after use: presented again it meets rule 6, and after a deallocation it allocates again", async () => {
    const { quote } = await api.preview(sp(922), "UK_ECONOMY");
    const first = await api.allocateWithQuote(sp(922), quote.reference);

    const again = await api.allocateWithQuote(sp(922), quote.reference);
    await api.deallocate(sp(922));
    const afterDeallocation = await api.allocateWithQuote(sp(922), quote.reference);

    expect(first).toMatchObject({ state: "ALLOCATED" });
    expect(again).toMatchObject({
      __typename: "AllocateResult",
      state: "ALLOCATED",
      carrier: null,
      details: [{ code: "shipment_invalid_state" }],
    });
    expect(afterDeallocation).toMatchObject({ state: "ALLOCATED", price: first.price, carrierService: first.carrierService });
  });
});

describe("QUOTE_TTL_SECONDS", () => {
  it("is a whole number of seconds, at least 1: anything else stops start-up with a message naming it", () => {
    expect(loadConfig({ QUOTE_TTL_SECONDS: "1" }).quoteTtlSeconds).toBe(1);
    for (const value of ["0", "-5", "1.5", "soon"]) {
      expect(() => loadConfig({ QUOTE_TTL_SECONDS: value })).toThrow(/QUOTE_TTL_SECONDS/);
    }
  });
});

describeStores("rule 16: allocateShipmentWithQuote", (open) => {
  const api = useLifecycleApi(open);

  it("allocates the quoted service at the quoted price, as rule 12 describes", async () => {
    const { quote } = await api.preview(sp(913), "UK_ECONOMY");

    const result = await api.allocateWithQuote(sp(913), quote.reference);

    expect(result).toMatchObject({
      __typename: "AllocateResult",
      shipmentReference: sp(913),
      state: "ALLOCATED",
      message: `Shipment ${sp(913)} has been allocated successfully`,
      price: quote.price,
      carrier: quote.carrier,
      carrierService: { reference: "EVRI-00048" },
      trackingDetails: { shipment: { reference: sp(913), trackingReferences: [expect.stringMatching(/^H01\d+$/)] }, contents: [] },
      links: successLinks(BASE_URL, sp(913)),
      details: [],
      excludedServices: [],
      shipment: { reference: sp(913), state: "ALLOCATED" },
    });
    expect(await api.shipment(sp(913))).toMatchObject({ state: "ALLOCATED", allocation: { price: quote.price } });
  });

  it("charges the quoted price although the service's rates were re-imported since", async () => {
    // Arrange: RM-00048 is the cheapest of UK_ECONOMY for 915 (18 kg); then its rates go up
    const { quote } = await api.preview(sp(915), "UK_ECONOMY");
    await importDataset(
      api.store,
      addToDemo({ carrierServices: [demoService("RM-00048", { rates: [{ maxWeightKg: "20", net: "99.00" }] })] }),
    );
    const repriced = await api.preview(sp(915), "RM-00048");
    // Act
    const result = await api.allocateWithQuote(sp(915), quote.reference);
    // Assert
    expect(repriced.quote.price.net).toBe("99.00");
    expect(quote.price.net).not.toBe("99.00");
    expect(result).toMatchObject({ state: "ALLOCATED", carrierService: { reference: quote.carrierService.reference }, price: quote.price });
    expect((await api.history(sp(915))).allocationHistory[0].price).toEqual(quote.price);
  });

  it("allocates although no rate band covers the weight any more: the quote fixed the price", async () => {
    const { quote } = await api.preview(sp(921), "RM-00048");
    await importDataset(
      api.store,
      addToDemo({ carrierServices: [demoService("RM-00048", { rates: [{ maxWeightKg: "1", net: "3.10" }] })] }),
    );

    const result = await api.allocateWithQuote(sp(921), quote.reference);

    expect(result).toMatchObject({ state: "ALLOCATED", price: quote.price });
  });

  it("re-checks eligibility: a service deactivated since fails as rule 11, with that one service excluded", async () => {
    // Arrange
    const { quote } = await api.preview(sp(923), "DPD-00012");
    await importDataset(api.store, addToDemo({ carrierServices: [demoService("DPD-00012", { active: false })] }));
    // Act
    const result = await api.allocateWithQuote(sp(923), quote.reference);
    // Assert
    expect(result).toMatchObject({
      __typename: "AllocateResult",
      state: "ALLOCATION_FAILED",
      price: null,
      carrier: null,
      carrierService: null,
      trackingDetails: null,
      details: [{ code: "allocation_failed" }],
      excludedServices: [{ carrier: { serviceReference: "DPD-00012" }, exclusion: { code: "ex_inactive" } }],
    });
    expect(await api.shipment(sp(923))).toMatchObject({ state: "ALLOCATION_FAILED", allocation: null });
  });

  it("looks the shipment up first, then the quote, then the state", async () => {
    const { quote } = await api.preview(sp(917), "INTERNATIONAL");
    await api.allocateWithQuote(sp(917), quote.reference);

    const unknownShipment = await api.allocateWithQuote("sp_unknown", "NOT-A-QUOTE");
    const unknownQuoteOnAllocated = await api.allocateWithQuote(sp(917), "NOT-A-QUOTE");
    const knownQuoteOnAllocated = await api.allocateWithQuote(sp(917), quote.reference);

    expect(unknownShipment).toMatchObject({ code: "shipment_not_found", reference: "sp_unknown" });
    expect(unknownQuoteOnAllocated).toMatchObject({ code: "quote_not_found", reference: "NOT-A-QUOTE" });
    expect(knownQuoteOnAllocated).toMatchObject({ state: "ALLOCATED", details: [{ code: "shipment_invalid_state" }] });
  });

  it("replays the first result for the same idempotencyKey and refuses the key with another quote", async () => {
    const { quote } = await api.preview(sp(918), "INTERNATIONAL");

    const first = await api.allocateWithQuote(sp(918), quote.reference, { idempotencyKey: "quote-key-1" });
    const retry = await api.allocateWithQuote(sp(918), quote.reference, { idempotencyKey: "quote-key-1" });
    const reused = await api.runner.run(
      `mutation ($q: ID!) { allocateShipmentWithQuote(shipmentRef: "${sp(
        918,
      )}", quoteRef: $q, idempotencyKey: "quote-key-1") { __typename } }`,
      { q: "ANOTHER-QUOTE" },
    );

    expect(first).toMatchObject({ state: "ALLOCATED", details: [] });
    expect({ ...retry, correlationId: undefined }).toEqual({ ...first, correlationId: undefined });
    expect(reused.errors?.[0]?.extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });
});

describeStores("rule 18: deallocateShipment", (open) => {
  const api = useLifecycleApi(open);

  it("moves an allocated shipment back to unallocated, keeping the voided allocation with when and why", async () => {
    // Arrange
    const allocated = await api.allocate("virtual", sp(913), "UK_ECONOMY");
    // Act
    const result = await api.deallocate(sp(913), "Demo shipment: allocated by mistake");
    // Assert
    expect(result).toMatchObject({
      __typename: "DeallocateResult",
      shipmentReference: sp(913),
      state: "UNALLOCATED",
      message: `Shipment ${sp(913)} has been deallocated`,
      details: [],
      shipment: { state: "UNALLOCATED", allocation: null },
    });
    const shipment = await api.history(sp(913));
    expect(shipment).toMatchObject({ state: "UNALLOCATED", allocation: null });
    expect(shipment.allocationHistory).toEqual([
      expect.objectContaining({
        trackingDetails: allocated.trackingDetails,
        price: allocated.price,
        deallocatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        deallocationReason: "Demo shipment: allocated by mistake",
      }),
    ]);
    expect(Date.parse(shipment.allocationHistory[0].deallocatedAt)).toBeGreaterThanOrEqual(
      Date.parse(shipment.allocationHistory[0].allocationDate),
    );
  });

  it("lets the shipment be allocated again, with a new tracking reference; the voided one is never handed out again", async () => {
    const voided = (await api.history(sp(913))).allocationHistory[0].trackingDetails.shipment.trackingReferences[0];

    const again = await api.allocate("virtual", sp(913), "UK_ECONOMY");

    const tracking = again.trackingDetails.shipment.trackingReferences[0];
    expect(again).toMatchObject({ state: "ALLOCATED", details: [] });
    expect(tracking).not.toBe(voided);
    expect((await api.history(sp(913))).allocationHistory.map((a: any) => a.trackingDetails.shipment.trackingReferences[0])).toEqual([
      tracking,
      voided,
    ]);
  });

  it.each([
    ["unallocated", sp(914), "UNALLOCATED"],
    ["cancelled", sp(920), "CANCELLED"],
    ["allocation_failed", sp(921), "ALLOCATION_FAILED"],
  ])("answers a %s shipment with shipment_invalid_state and changes nothing", async (state, shipmentRef, shown) => {
    const before = await tableDump(api.store);

    const result = await api.deallocate(shipmentRef, "no");

    expect(result).toEqual(
      expect.objectContaining({
        __typename: "DeallocateResult",
        state: shown,
        message: `Shipment ${shipmentRef} could not be deallocated`,
        details: [
          { code: "shipment_invalid_state", message: `Shipment ${shipmentRef} is ${state} and cannot be deallocated`, property: "state" },
        ],
      }),
    );
    expect(await tableDump(api.store)).toEqual(before);
  });

  it("answers an unknown shipment with shipment_not_found", async () => {
    const result = await api.deallocate("sp_unknown");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found", reference: "sp_unknown" });
  });

  it("refuses a reason over 500 code points with BAD_USER_INPUT before any lookup, and changes nothing", async () => {
    // Arrange
    await api.allocate("virtual", sp(916), "NEXT_DAY");
    const before = await tableDump(api.store);
    // Act
    const tooLong = await api.runner.run(DEALLOCATE, { shipmentRef: sp(916), reason: "x".repeat(501) });
    const unknownShipment = await api.runner.run(DEALLOCATE, { shipmentRef: "sp_unknown", reason: "x".repeat(501) });
    const withNul = await api.runner.run(DEALLOCATE, { shipmentRef: sp(916), reason: "a\u0000b" });
    // Assert
    for (const response of [tooLong, unknownShipment, withNul]) {
      expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(response.data).toBeNull();
    }
    expect(tooLong.errors![0].message).toBe("reason must be at most 500 characters long");
    expect(await tableDump(api.store)).toEqual(before);
  });

  it("counts code points: 500 emoji (1,000 UTF-16 units) are a valid reason; an empty one is no reason", async () => {
    const emoji = "📦".repeat(500);
    await api.allocate("virtual", sp(917), "INTERNATIONAL");

    const withEmoji = await api.deallocate(sp(916), emoji);
    const empty = await api.deallocate(sp(917), "");

    expect(withEmoji).toMatchObject({ state: "UNALLOCATED", details: [] });
    expect(empty).toMatchObject({ state: "UNALLOCATED", details: [] });
    expect((await api.history(sp(916))).allocationHistory[0].deallocationReason).toBe(emoji);
    expect((await api.history(sp(917))).allocationHistory[0].deallocationReason).toBeNull();
  });

  it("replays the first result for the same idempotencyKey: the second call deallocates nothing", async () => {
    // Arrange: allocated, deallocated with a key, allocated again
    await api.allocate("virtual", sp(918), "INTERNATIONAL");
    const first = await api.deallocate(sp(918), "retry me", { idempotencyKey: "dealloc-key-1" });
    await api.allocate("virtual", sp(918), "INTERNATIONAL");
    // Act
    const retry = await api.deallocate(sp(918), "retry me", { idempotencyKey: "dealloc-key-1" });
    const reused = await api.runner.run(DEALLOCATE, { shipmentRef: sp(918), reason: "other", key: "dealloc-key-1" });
    // Assert
    // the stored result is replayed; its shipment's allocation fields are read live, as on the allocate mutations
    const replayed = ({ correlationId: _, shipment, ...fields }: any) => ({
      ...fields,
      shipment: { reference: shipment.reference, state: shipment.state },
    });
    expect(first).toMatchObject({ state: "UNALLOCATED", details: [] });
    expect(replayed(retry)).toEqual(replayed(first));
    expect(reused.errors?.[0]?.extensions?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await api.shipment(sp(918))).toMatchObject({ state: "ALLOCATED" });
  });
});

describeStores("rule 19: Shipment.allocationHistory", (open) => {
  const api = useLifecycleApi(open);

  it("is empty for a shipment never allocated, and lists no failed attempt", async () => {
    await api.allocate("virtual", sp(919), "INTERNATIONAL");

    expect((await api.history(sp(913))).allocationHistory).toEqual([]);
    expect(await api.history(sp(919))).toMatchObject({ state: "ALLOCATION_FAILED", allocationHistory: [] });
  });

  it("lists every allocation newest first, the one in force first, the voided ones with their links", async () => {
    // Arrange: three allocations, two of them voided
    const first = await api.allocate("carrierService", sp(913), "DPD-00012");
    await api.deallocate(sp(913), "first");
    const second = await api.allocate("carrierService", sp(913), "RM-00048");
    await api.deallocate(sp(913), "second");
    const third = await api.allocate("carrierService", sp(913), "EVRI-00048");
    // Act
    const shipment = await api.history(sp(913));
    // Assert
    const tracking = (a: any) => a.trackingDetails.shipment.trackingReferences;
    expect(shipment.allocation).toMatchObject({ carrierService: { reference: "EVRI-00048" }, deallocatedAt: null });
    expect(
      shipment.allocationHistory.map((a: any) => [a.carrierService.reference, tracking(a), a.deallocationReason, a.deallocatedAt === null]),
    ).toEqual([
      ["EVRI-00048", tracking(third), null, true],
      ["RM-00048", tracking(second), "second", false],
      ["DPD-00012", tracking(first), "first", false],
    ]);
    for (const allocation of shipment.allocationHistory) {
      expect(allocation.links).toEqual(successLinks(BASE_URL, sp(913)));
    }
  });
});

describeStores("tenancy (rule 3) of previews, quotes and deallocations", (open) => {
  const api = useLifecycleApi(open);

  it("another account's shipment is not found by the preview, the quote allocation and the deallocation", async () => {
    const { quote } = await api.preview(sp(913), "UK_ECONOMY");

    const preview = await api.preview(sp(913), "NW_ALL", NORTHWIND_KEY);
    const withQuote = await api.allocateWithQuote(sp(913), quote.reference, { apiKey: NORTHWIND_KEY });
    const deallocation = await api.deallocate(sp(913), null, { apiKey: NORTHWIND_KEY });
    const history = await api.history(sp(913), NORTHWIND_KEY);

    for (const result of [preview, withQuote, deallocation]) {
      expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "shipment_not_found", reference: sp(913) });
    }
    expect(history).toBeNull();
  });

  it("another account's quote is not found, even on that account's own shipment", async () => {
    const northwind = await api.preview(NORTHWIND_SHIPMENT, "NW_ALL", NORTHWIND_KEY);
    const demo = await api.preview(sp(913), "UK_ECONOMY");

    const demoQuoteOnNorthwind = await api.allocateWithQuote(NORTHWIND_SHIPMENT, demo.quote.reference, { apiKey: NORTHWIND_KEY });
    const northwindQuoteOnDemo = await api.allocateWithQuote(sp(913), northwind.quote.reference);

    expect(demoQuoteOnNorthwind).toMatchObject({ code: "quote_not_found", reference: demo.quote.reference });
    expect(northwindQuoteOnDemo).toMatchObject({ code: "quote_not_found", reference: northwind.quote.reference });
    expect(await writtenState(api.store)).toMatchObject({ allocations: 0 });
  });
});

// a demo carrier service as the data set has it, with some fields changed
function demoService(reference: string, changes: Partial<DatasetCarrierService> = {}): DatasetCarrierService {
  return { ...((demo.carrierServices.find((s) => s.reference === reference) as unknown) as DatasetCarrierService), ...changes };
}
