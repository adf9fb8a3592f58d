// Model-based test: random sequences of imports, allocations through each mutation and queries,
// each step compared with a pure model of the rules (state machine, reference resolution, outcome
// types). Pricing and eligibility come from the pure engine; the catalogue from the demo data set.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import demo from "../../data/demo-dataset.json";
import { decideForCarrierService, decideForGroup, isAllocatable } from "../../src/allocation/engine";
import { findAccountByApiKey } from "../../src/store/accounts";
import { listCarrierServices } from "../../src/store/catalogue";
import type { CarrierServiceRecord, ShipmentRecord, ShipmentStateValue } from "../../src/allocation/engine/records";
import { allocateMutation, SHIPMENT_QUERY, type AllocateKind } from "../api/api";
import { createOperationRunner, DEMO_KEY } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { importShipments, referenceMaker, type ShipmentSpec } from "./shipments";

type Runner = Awaited<ReturnType<typeof createOperationRunner>>;

interface Catalogue {
  services: Map<string, CarrierServiceRecord>;
  groups: Map<string, CarrierServiceRecord[]>;
}

interface ModelShipment {
  record: ShipmentRecord;
  allocation?: { serviceReference: string; gross: string };
}

interface Model {
  shipments: ModelShipment[];
}

interface Real {
  runner: Runner;
  store: DemoStore;
  catalogue: Catalogue;
  newReference: () => string;
  trackingSeen: Set<string>;
}

const UNKNOWN_SHIPMENT = "sp_99999999999999999999999999999999";
const KINDS: AllocateKind[] = ["virtual", "carrierService", "serviceGroup"];
// services, groups, the reference that names both, and one that names nothing
const REFERENCES = [
  ...demo.carrierServices.filter((s) => s.account === "demo").map((s) => s.reference),
  ...demo.serviceGroups.filter((g) => g.account === "demo").map((g) => g.reference),
  "NO-SUCH-REF",
];

type Expected =
  | { typename: "ReferenceNotFoundError"; code: string }
  | { typename: "AmbiguousReferenceError"; code: "non_unique_reference" }
  | { typename: "AllocateResult"; state: string; detail?: string; serviceReference?: string; gross?: string };

class ImportShipment implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: Required<Pick<ShipmentSpec, "shipmentType" | "state" | "weightKg">> & { country: string }) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const reference = real.newReference();
    const destination = { countryIsoCode: this.spec.country, postalCode: this.spec.country === "GB" ? "M1 1AE" : "75001" };
    await importShipments(real.store, [reference], { ...this.spec, destination });
    model.shipments.push({
      record: {
        id: 0,
        accountId: 0,
        reference,
        state: this.spec.state,
        shipmentType: this.spec.shipmentType,
        origin: { countryIsoCode: "GB", postalCode: "EC1A 1BB" },
        destination,
        tags: [],
        contents: [{ weightKg: this.spec.weightKg, value: { amount: "20.00", currency: "GBP" }, quantity: 1 }],
      },
    });
  }
  toString = () => `import(${JSON.stringify(this.spec)})`;
}

class Allocate implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: AllocateKind,
    readonly pick: number | null,
    readonly reference: string,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const shipment = pickShipment(model, this.pick);
    const expected = expectAllocation(real.catalogue, shipment, this.kind, this.reference);
    const response = await real.runner.run(allocateMutation(this.kind), {
      shipmentRef: shipment?.record.reference ?? UNKNOWN_SHIPMENT,
      ref: this.reference,
    });
    expect(response.errors).toBeUndefined();
    const result = response.data!.result;
    expect(actual(result)).toEqual(expected);
    if (expected.typename === "AllocateResult" && shipment) {
      shipment.record.state = expected.state.toLowerCase() as ShipmentStateValue;
      if (expected.serviceReference) {
        shipment.allocation = { serviceReference: expected.serviceReference, gross: expected.gross! };
        const tracking = result.trackingDetails.shipment.trackingReferences[0];
        expect(real.trackingSeen.has(tracking)).toBe(false);
        real.trackingSeen.add(tracking);
      }
    }
  }
  toString = () => `allocate(${this.kind}, ${this.pick}, ${this.reference})`;
}

class QueryShipment implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number | null) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const shipment = pickShipment(model, this.pick);
    const response = await real.runner.run(SHIPMENT_QUERY, { ref: shipment?.record.reference ?? UNKNOWN_SHIPMENT });
    const found = response.data!.shipment;
    if (!shipment) return void expect(found).toBeNull();
    expect({
      state: found.state,
      allocation: found.allocation ? { serviceReference: found.allocation.carrierService.reference, gross: found.allocation.price.gross } : undefined,
    }).toEqual({ state: shipment.record.state.toUpperCase(), allocation: shipment.allocation });
  }
  toString = () => `query(${this.pick})`;
}

// null, or no shipment imported yet: a reference no one has
function pickShipment(model: Model, pick: number | null): ModelShipment | undefined {
  return pick === null || model.shipments.length === 0 ? undefined : model.shipments[pick % model.shipments.length];
}

// the rules, in their order: shipment, reference (ambiguity first), state, then the engine's decision
function expectAllocation(catalogue: Catalogue, shipment: ModelShipment | undefined, kind: AllocateKind, reference: string): Expected {
  if (!shipment) return { typename: "ReferenceNotFoundError", code: "shipment_not_found" };
  const service = kind === "serviceGroup" ? undefined : catalogue.services.get(reference);
  const members = kind === "carrierService" ? undefined : catalogue.groups.get(reference);
  if (service && members) return { typename: "AmbiguousReferenceError", code: "non_unique_reference" };
  if (!service && !members) {
    const code = { virtual: "virtual_service_not_found", carrierService: "carrier_service_not_found", serviceGroup: "service_group_not_found" }[kind];
    return { typename: "ReferenceNotFoundError", code };
  }
  const state = shipment.record.state;
  if (!isAllocatable(state)) return { typename: "AllocateResult", state: state.toUpperCase(), detail: "shipment_invalid_state" };
  const decision = service ? decideForCarrierService(shipment.record, service) : decideForGroup(shipment.record, members!);
  return decision.kind === "allocate"
    ? { typename: "AllocateResult", state: "ALLOCATED", serviceReference: decision.service.reference, gross: decision.price.gross }
    : { typename: "AllocateResult", state: "ALLOCATION_FAILED", detail: "allocation_failed" };
}

function actual(result: Record<string, any>): Expected {
  if (result.__typename !== "AllocateResult") return { typename: result.__typename, code: result.code };
  const detail = result.details[0]?.code;
  return {
    typename: "AllocateResult",
    state: result.state,
    ...(detail ? { detail } : { serviceReference: result.carrier.serviceReference, gross: result.price.gross }),
  };
}

const commands = [
  fc
    .record({
      shipmentType: fc.constantFrom("scheduled" as const, "on_demand" as const),
      state: fc.constantFrom("unallocated" as const, "allocation_failed" as const, "cancelled" as const),
      weightKg: fc.constantFrom("0.5", "2", "12", "40"),
      country: fc.constantFrom("GB", "FR", "US"),
    })
    .map((spec) => new ImportShipment(spec)),
  fc
    .tuple(fc.constantFrom(...KINDS), fc.option(fc.nat(20), { freq: 8 }), fc.constantFrom(...REFERENCES))
    .map(([kind, pick, reference]) => new Allocate(kind, pick, reference)),
  fc.option(fc.nat(20), { freq: 8 }).map((pick) => new QueryShipment(pick)),
];

describe("allocation rules against a model", () => {
  let store: DemoStore;
  let runner: Runner;
  let catalogue: Catalogue;

  beforeAll(async () => {
    store = await openDemoPglite();
    runner = await createOperationRunner(store);
    const account = await findAccountByApiKey(store.db, DEMO_KEY);
    const services = new Map((await listCarrierServices(store.db, account!.id)).map((s) => [s.reference, s]));
    const groups = new Map(
      demo.serviceGroups.filter((g) => g.account === "demo").map((g) => [g.reference, g.services.map((ref) => services.get(ref)!)]),
    );
    catalogue = { services, groups };
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.close();
  });

  it("answers every step of random import / allocate / query sequences as the model does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
        // each run (and each replay while shrinking) gets shipment references of its own
        const setup = () => ({
          model: { shipments: [] },
          real: { runner, store, catalogue, newReference: numbered(referenceMaker()), trackingSeen: new Set<string>() },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 40 },
    );
  });
});

function numbered(make: (n: number) => string): () => string {
  let n = 0;
  return () => make(n++);
}
