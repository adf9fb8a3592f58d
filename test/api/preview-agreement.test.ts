// Rule numbers: docs/allocation-rules.md
// Rule 14's promise, as a property: over generated shipments, services and groups, a preview writes
// nothing, and allocating right after it (by reference, or with its quote) chooses the quoted
// service at the quoted price, or fails with the preview's details.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import type { DatasetCarrierService, DatasetServiceGroup, DatasetShipment } from "../../src/import/dataset";
import { validateDataset } from "../../src/import/validate";
import { addToDemo } from "../batching/datasets";
import { tableDump } from "../import/tables";
import { createOperationRunner, DEMO_KEY } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";
import { referenceMaker } from "../stress/shipments";
import { allocateMutation } from "./api";
import { ALLOCATE_WITH_QUOTE, PREVIEW } from "./lifecycle";

const RUNS = 60;

// each attribute usually lets the service carry the shipment, so that allocations, failures and refusals are all common
function mostly<T>(usual: T, ...others: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(usual), weight: 8 }, { arbitrary: fc.constantFrom(...others), weight: 1 });
}
const service = fc.record({
  carrier: fc.constantFrom("FF_LINET", "DPD", "RM", "EVRI"),
  active: mostly(true, false),
  shipmentTypes: mostly<("scheduled" | "on_demand")[]>(["scheduled", "on_demand"], ["scheduled"], ["on_demand"]),
  destinationCountries: mostly<string[]>(["GB", "FR"], ["GB"], ["FR"]),
  excludedPostcodeAreas: mostly<string[]>([], ["HS"], ["M"]),
  tags: mostly<string[]>(["signature", "fragile"], ["signature"], []),
  maxWeightKg: mostly("20", "5", "1"),
  // few distinct prices, so ties happen; two bands, or one that may not cover the weight
  rates: fc.oneof(
    {
      arbitrary: fc.tuple(fc.constantFrom("2.00", "3.10", "4.50"), fc.constantFrom("4.50", "7.95")).map(([a, b]) => [
        { maxWeightKg: "2", net: a },
        { maxWeightKg: "20", net: b },
      ]),
      weight: 8,
    },
    { arbitrary: fc.constantFrom("2.00", "4.50").map((net) => [{ maxWeightKg: "3", net }]), weight: 1 },
  ),
  currency: mostly("GBP", "EUR"),
  tax: fc.constantFrom("0", "0.2", "0.175").map((value) => ({ countryIsoCode: "GB", type: value === "0" ? "Zero" : "Standard", value })),
  maxValue: mostly<{ amount: string; currency: string } | undefined>(undefined, { amount: "50.00", currency: "GBP" }),
});
const shipment = fc.record({
  state: fc.constantFrom("unallocated", "unallocated", "unallocated", "unallocated", "allocation_failed", "cancelled"),
  shipmentType: fc.constantFrom("scheduled", "on_demand"),
  destination: fc.constantFrom(
    { countryIsoCode: "GB", postalCode: "M1 1AE" },
    { countryIsoCode: "GB", postalCode: "HS1 2AB" },
    { countryIsoCode: "GB", postalCode: "SW1A 1AA" },
    { countryIsoCode: "FR", postalCode: "75001" },
  ),
  tags: fc.constantFrom([], [], ["signature"], ["fragile"]),
  contents: fc.array(
    fc.record({
      weightKg: fc.constantFrom("0.5", "1.5", "2", "3", "12"),
      value: fc.constantFrom("10.00", "10.00", "120.00").map((amount) => ({ amount, currency: "GBP" })),
      quantity: fc.constantFrom(1, 1, 2),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});
const scenario = fc.record({
  services: fc.array(service, { minLength: 1, maxLength: 4 }),
  // indexes into services, in the group's priority order
  group: fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }),
  shipment,
  // a service, the group, a reference that names both, or one that names nothing
  target: fc.oneof(
    { arbitrary: fc.nat(3).map((service) => ({ kind: "service" as const, service })), weight: 3 },
    { arbitrary: fc.constant({ kind: "group" as const, service: 0 }), weight: 4 },
    { arbitrary: fc.constantFrom("ambiguous" as const, "unknown" as const).map((kind) => ({ kind, service: 0 })), weight: 1 },
  ),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

describeStores("preview and allocation agree (rule 14)", (open) => {
  let store: DemoStore;
  let runner: Awaited<ReturnType<typeof createOperationRunner>>;
  let run = 0;

  beforeAll(async () => {
    store = await open();
    runner = await createOperationRunner(store);
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.dropDatabase();
  });

  const call = async (query: string, variables: Record<string, unknown>) => {
    const response = await runner.run(query, variables, DEMO_KEY);
    expect(response.errors).toBeUndefined();
    return response.data!.result;
  };

  it(`for ${RUNS} generated cases: the preview writes nothing, and both allocations do what it showed`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => {
        // Arrange: two identical shipments, one for each way of allocating
        const { references, reference } = await importScenario(store, generated, run++);
        const before = await tableDump(store);

        // Act
        const previews = [await call(PREVIEW, { shipmentRef: references[0], ref: reference }), await call(PREVIEW, { shipmentRef: references[1], ref: reference })];
        const unchanged = await tableDump(store);
        const byReference = await call(allocateMutation("virtual"), { shipmentRef: references[0], ref: reference });
        const withQuote = previews[1].quote ? await call(ALLOCATE_WITH_QUOTE, { shipmentRef: references[1], quoteRef: previews[1].quote.reference }) : null;

        // Assert
        expect(unchanged).toEqual(before);
        expect(outcomeOf(byReference)).toEqual(expectedFrom(previews[0]));
        if (withQuote) expect(outcomeOf(withQuote)).toEqual({ ...expectedFrom(previews[1]), excluded: [] });
      }),
      { numRuns: RUNS },
    );
  });
});

const shipmentReference = referenceMaker();

async function importScenario(store: DemoStore, s: Scenario, run: number) {
  const prefix = `P${run}`;
  const serviceRef = (i: number) => `${prefix}-S${i}`;
  const carrierServices: DatasetCarrierService[] = s.services.map((generated, i) => ({
    account: "demo",
    reference: serviceRef(i),
    name: `Generated ${i}`,
    ...generated,
    shipmentTypes: [...generated.shipmentTypes],
  }));
  const members = [...new Set(s.group.map((i) => i % s.services.length))].map(serviceRef);
  const groups: DatasetServiceGroup[] = [
    { account: "demo", reference: `${prefix}-G`, name: "Generated group", services: members },
    { account: "demo", reference: serviceRef(0), name: "Named like a service", services: members },
  ];
  const shipments: DatasetShipment[] = [0, 1].map((n) => ({
    account: "demo",
    reference: shipmentReference(2 * run + n),
    origin: { countryIsoCode: "GB", postalCode: "EC1A 1BB" },
    ...s.shipment,
    tags: [...s.shipment.tags],
    contents: s.shipment.contents.map((item) => ({ ...item })),
  }));
  const result = validateDataset(addToDemo({ carrierServices, serviceGroups: s.target.kind === "ambiguous" ? groups : groups.slice(0, 1), shipments }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  await importDataset(store, result.dataset);
  const reference = { service: serviceRef(s.target.service % s.services.length), group: `${prefix}-G`, ambiguous: serviceRef(0), unknown: `${prefix}-NONE` }[s.target.kind];
  return { references: shipments.map((x) => x.reference), reference };
}

interface Outcome {
  typename: string;
  code?: string;
  state?: string;
  service?: string | null;
  price?: unknown;
  details?: unknown;
  excluded?: unknown;
}

// what an allocation answered, in the terms a preview can predict
function outcomeOf(result: any): Outcome {
  if (result.__typename !== "AllocateResult") return { typename: result.__typename, code: result.code };
  return {
    typename: "AllocateResult",
    state: result.state,
    service: result.carrierService?.reference ?? null,
    price: result.price,
    details: result.details,
    excluded: result.excludedServices.map((e: any) => [e.carrier.serviceReference, e.exclusion]),
  };
}

function expectedFrom(preview: any): Outcome {
  if (preview.__typename !== "AllocationPreview") return { typename: preview.__typename, code: preview.code };
  const excluded = preview.candidates.filter((c: any) => c.exclusion).map((c: any) => [c.carrierService.reference, c.exclusion]);
  if (preview.allocatable) {
    return { typename: "AllocateResult", state: "ALLOCATED", service: preview.quote.carrierService.reference, price: preview.quote.price, details: [], excluded };
  }
  const invalidState = preview.details[0].code === "shipment_invalid_state";
  return { typename: "AllocateResult", state: invalidState ? preview.state : "ALLOCATION_FAILED", service: null, price: null, details: preview.details, excluded };
}
