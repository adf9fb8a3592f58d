// Rule 3 (docs/allocation-rules.md): every lookup is scoped to the caller's account. Northwind sees nothing of demo's (and the
// reverse): another account's records are "not found" or null, never an error that leaks them.
import { describe, expect, it } from "vitest";
import { DEMO_KEY, NORTHWIND_KEY } from "../support/server";
import {
  CARRIER_SERVICE_QUERY,
  ENTITIES_QUERY,
  LISTS_QUERY,
  NORTHWIND_SHIPMENT,
  SERVICE_GROUP_QUERY,
  sp,
  useDemoApi,
  writtenState,
} from "./api";

const api = useDemoApi();
const DEMO_SHIPMENT = sp(913);

describe("queries with the northwind key", () => {
  it("do not find demo's shipment, carrier service or service group", async () => {
    const shipment = await api.shipment(DEMO_SHIPMENT, NORTHWIND_KEY);
    const service = await api.runner.run(CARRIER_SERVICE_QUERY, { ref: "DPD-00012" }, NORTHWIND_KEY);
    const group = await api.runner.run(SERVICE_GROUP_QUERY, { ref: "UK_ECONOMY" }, NORTHWIND_KEY);

    expect(shipment).toBeNull();
    expect(service).toMatchObject({ data: { carrierService: null } });
    expect(service.errors).toBeUndefined();
    expect(group).toMatchObject({ data: { serviceGroup: null } });
    expect(group.errors).toBeUndefined();
  });

  it("find northwind's own records", async () => {
    const shipment = await api.shipment(NORTHWIND_SHIPMENT, NORTHWIND_KEY);
    const service = await api.runner.run(CARRIER_SERVICE_QUERY, { ref: "NW-00001" }, NORTHWIND_KEY);
    const group = await api.runner.run(SERVICE_GROUP_QUERY, { ref: "NW_ALL" }, NORTHWIND_KEY);

    expect(shipment).toMatchObject({ reference: NORTHWIND_SHIPMENT, state: "UNALLOCATED" });
    expect(service.data).toEqual({ carrierService: { reference: "NW-00001", name: "Northwind Courier" } });
    expect(group.data).toEqual({ serviceGroup: { reference: "NW_ALL", name: "All Northwind services" } });
  });

  it("list only northwind's carrier services and service groups", async () => {
    const response = await api.runner.run(LISTS_QUERY, {}, NORTHWIND_KEY);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      carrierServices: [{ reference: "NW-00001", serviceGroups: [{ reference: "NW_ALL" }] }],
      serviceGroups: [{ reference: "NW_ALL", services: [{ reference: "NW-00001" }] }],
    });
  });
});

describe("mutations with the northwind key", () => {
  it("answer demo's shipment with shipment_not_found on all three mutations", async () => {
    const results = [
      await api.allocate("virtual", DEMO_SHIPMENT, "NW-00001", NORTHWIND_KEY),
      await api.allocate("carrierService", DEMO_SHIPMENT, "NW-00001", NORTHWIND_KEY),
      await api.allocate("serviceGroup", DEMO_SHIPMENT, "NW_ALL", NORTHWIND_KEY),
    ];

    for (const result of results) {
      expect(result).toEqual(
        expect.objectContaining({ __typename: "ReferenceNotFoundError", code: "shipment_not_found", reference: DEMO_SHIPMENT }),
      );
    }
  });

  it("answer demo's service and group references on northwind's shipment with the not-found codes", async () => {
    const virtualService = await api.allocate("virtual", NORTHWIND_SHIPMENT, "DPD-00012", NORTHWIND_KEY);
    const virtualGroup = await api.allocate("virtual", NORTHWIND_SHIPMENT, "UK_ECONOMY", NORTHWIND_KEY);
    // demo's EVRI-00048 is both a service and a group there, but neither here: not found, not ambiguous
    const virtualBoth = await api.allocate("virtual", NORTHWIND_SHIPMENT, "EVRI-00048", NORTHWIND_KEY);
    const service = await api.allocate("carrierService", NORTHWIND_SHIPMENT, "DPD-00012", NORTHWIND_KEY);
    const group = await api.allocate("serviceGroup", NORTHWIND_SHIPMENT, "UK_ECONOMY", NORTHWIND_KEY);

    expect(virtualService).toMatchObject({ __typename: "ReferenceNotFoundError", code: "virtual_service_not_found", reference: "DPD-00012" });
    expect(virtualGroup).toMatchObject({ __typename: "ReferenceNotFoundError", code: "virtual_service_not_found", reference: "UK_ECONOMY" });
    expect(virtualBoth).toMatchObject({ __typename: "ReferenceNotFoundError", code: "virtual_service_not_found", reference: "EVRI-00048" });
    expect(service).toMatchObject({ __typename: "ReferenceNotFoundError", code: "carrier_service_not_found", reference: "DPD-00012" });
    expect(group).toMatchObject({ __typename: "ReferenceNotFoundError", code: "service_group_not_found", reference: "UK_ECONOMY" });
    expect(await api.shipment(NORTHWIND_SHIPMENT, NORTHWIND_KEY)).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });
});

describe("_entities with the northwind key", () => {
  it("resolves demo's Shipment, CarrierService and ServiceGroup references to null", async () => {
    const representations = [
      { __typename: "Shipment", reference: DEMO_SHIPMENT },
      { __typename: "CarrierService", reference: "DPD-00012" },
      { __typename: "ServiceGroup", reference: "UK_ECONOMY" },
    ];

    const response = await api.runner.run(ENTITIES_QUERY, { representations }, NORTHWIND_KEY);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ _entities: [null, null, null] });
  });

  it("resolves northwind's own references", async () => {
    const representations = [
      { __typename: "Shipment", reference: NORTHWIND_SHIPMENT },
      { __typename: "CarrierService", reference: "NW-00001" },
      { __typename: "ServiceGroup", reference: "NW_ALL" },
    ];

    const response = await api.runner.run(ENTITIES_QUERY, { representations }, NORTHWIND_KEY);

    expect(response.data).toEqual({
      _entities: [
        { __typename: "Shipment", reference: NORTHWIND_SHIPMENT, state: "UNALLOCATED" },
        { __typename: "CarrierService", reference: "NW-00001" },
        { __typename: "ServiceGroup", reference: "NW_ALL" },
      ],
    });
  });
});

describe("the demo key on northwind's records (the reverse direction)", () => {
  it("does not find northwind's shipment or service, and cannot allocate northwind's shipment", async () => {
    const shipment = await api.shipment(NORTHWIND_SHIPMENT, DEMO_KEY);
    const service = await api.runner.run(CARRIER_SERVICE_QUERY, { ref: "NW-00001" }, DEMO_KEY);
    const viaGroup = await api.allocate("serviceGroup", NORTHWIND_SHIPMENT, "NW_ALL", DEMO_KEY);
    const onOwnShipment = await api.allocate("carrierService", DEMO_SHIPMENT, "NW-00001", DEMO_KEY);

    expect(shipment).toBeNull();
    expect(service.data).toEqual({ carrierService: null });
    expect(viaGroup).toMatchObject({ code: "shipment_not_found", reference: NORTHWIND_SHIPMENT });
    expect(onOwnShipment).toMatchObject({ code: "carrier_service_not_found", reference: "NW-00001" });
  });
});

describe("after all of the above", () => {
  it("demo's data is unchanged: the demo shipment is unallocated and nothing was allocated", async () => {
    expect(await api.shipment(DEMO_SHIPMENT, DEMO_KEY)).toMatchObject({ state: "UNALLOCATED", allocation: null });
    expect(await api.shipment(NORTHWIND_SHIPMENT, NORTHWIND_KEY)).toMatchObject({ state: "UNALLOCATED", allocation: null });
    expect(await writtenState(api.store)).toEqual({
      states: { unallocated: 11, allocation_failed: 1, cancelled: 1 },
      allocations: 0,
    });
  });
});
