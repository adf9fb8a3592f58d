// The rules of docs/allocation-rules.md through the schema (executeOperation): one describe per rule the API shows.
// Each describe opens its own demo store, so its tests see the demo data plus their own writes only.
import { describe, expect, it } from "vitest";
import { BASE_URL } from "../support/server";
import { sp, successLinks, useDemoApi, UUID, writtenState } from "./api";

const shipmentLink = (ref: string) => [{ href: `${BASE_URL}/shipments/${ref}`, rel: "shipment", reference: ref, type: "shipment" }];

describe("rule 1: resolving a virtual service reference", () => {
  const api = useDemoApi();

  it("looks the shipment up first: an unknown shipment is shipment_not_found with reference = shipmentRef", async () => {
    const result = await api.allocate("virtual", "sp_unknown", "NO_SUCH_REFERENCE");

    expect(result).toMatchObject({
      __typename: "ReferenceNotFoundError",
      code: "shipment_not_found",
      reference: "sp_unknown",
    });
  });

  it("allocates to the carrier service a reference names", async () => {
    const result = await api.allocate("virtual", sp(913), "DPD-00012");

    expect(result).toMatchObject({
      __typename: "AllocateResult",
      state: "ALLOCATED",
      carrier: { reference: "DPD", serviceReference: "DPD-00012" },
      carrierService: { reference: "DPD-00012" },
      excludedServices: [],
    });
  });

  it("allocates within the service group a reference names", async () => {
    const result = await api.allocate("virtual", sp(916), "NEXT_DAY");

    // 916 carries the signature tag: of NEXT_DAY's members only RM-00024 has it
    expect(result).toMatchObject({
      __typename: "AllocateResult",
      state: "ALLOCATED",
      carrierService: { reference: "RM-00024" },
      excludedServices: [{ carrier: { serviceReference: "DPD-00012" }, exclusion: { code: "ex_tag" } }],
    });
  });

  it("answers a reference that names both with non_unique_reference, both records set, and changes nothing", async () => {
    const before = await writtenState(api.store);

    const result = await api.allocate("virtual", sp(915), "EVRI-00048");

    expect(result).toMatchObject({
      __typename: "AmbiguousReferenceError",
      code: "non_unique_reference",
      reference: "EVRI-00048",
      carrierService: { reference: "EVRI-00048" },
      serviceGroup: { reference: "EVRI-00048" },
    });
    expect(result.message).toMatch(/allocateShipmentWithCarrierService/);
    expect(await writtenState(api.store)).toEqual(before);
    expect(await api.shipment(sp(915))).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });

  it("answers a reference that names neither with virtual_service_not_found and changes nothing", async () => {
    const before = await writtenState(api.store);

    const result = await api.allocate("virtual", sp(915), "NO_SUCH_REFERENCE");

    expect(result).toMatchObject({
      __typename: "ReferenceNotFoundError",
      code: "virtual_service_not_found",
      reference: "NO_SUCH_REFERENCE",
    });
    expect(await writtenState(api.store)).toEqual(before);
    expect(await api.shipment(sp(915))).toMatchObject({ state: "UNALLOCATED", allocation: null });
  });
});

describe("rule 2: allocating with a carrier service or a service group reference", () => {
  const api = useDemoApi();

  it("answers an unknown carrier service with carrier_service_not_found", async () => {
    const result = await api.allocate("carrierService", sp(913), "NO_SUCH_SERVICE");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "carrier_service_not_found", reference: "NO_SUCH_SERVICE" });
  });

  it("does not find a group given as a carrier service", async () => {
    const result = await api.allocate("carrierService", sp(913), "UK_ECONOMY");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "carrier_service_not_found", reference: "UK_ECONOMY" });
  });

  it("answers an unknown service group with service_group_not_found", async () => {
    const result = await api.allocate("serviceGroup", sp(913), "NO_SUCH_GROUP");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "service_group_not_found", reference: "NO_SUCH_GROUP" });
  });

  it("does not find a carrier service given as a group", async () => {
    const result = await api.allocate("serviceGroup", sp(913), "DPD-00012");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "service_group_not_found", reference: "DPD-00012" });
  });

  it("answers an unknown shipment with shipment_not_found on both mutations", async () => {
    const viaService = await api.allocate("carrierService", "sp_unknown", "DPD-00012");
    const viaGroup = await api.allocate("serviceGroup", "sp_unknown", "UK_ECONOMY");

    expect(viaService).toMatchObject({ code: "shipment_not_found", reference: "sp_unknown" });
    expect(viaGroup).toMatchObject({ code: "shipment_not_found", reference: "sp_unknown" });
  });

  it("takes a reference that names both as the carrier service on allocateShipmentWithCarrierService", async () => {
    const result = await api.allocate("carrierService", sp(913), "EVRI-00048");

    expect(result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", carrierService: { reference: "EVRI-00048" } });
  });

  it("takes a reference that names both as the group on allocateShipmentWithServiceGroup", async () => {
    // 922's value (800.00) is over EVRI-00048's maximum: the group falls back to RM-00048
    const result = await api.allocate("serviceGroup", sp(922), "EVRI-00048");

    expect(result).toMatchObject({
      __typename: "AllocateResult",
      state: "ALLOCATED",
      carrierService: { reference: "RM-00048" },
      excludedServices: [{ carrier: { serviceReference: "EVRI-00048" }, exclusion: { code: "ex_rules" } }],
    });
  });
});

describe("rule 4: the reference is resolved before the shipment's state is checked", () => {
  const api = useDemoApi();

  it("answers an allocated shipment with an unknown reference with ReferenceNotFoundError", async () => {
    await api.allocate("virtual", sp(912), "FF_LINET-00001");

    const result = await api.allocate("virtual", sp(912), "NO_SUCH_REFERENCE");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "virtual_service_not_found" });
  });

  it("answers a cancelled shipment with an unknown carrier service with ReferenceNotFoundError", async () => {
    const result = await api.allocate("carrierService", sp(920), "NO_SUCH_SERVICE");

    expect(result).toMatchObject({ __typename: "ReferenceNotFoundError", code: "carrier_service_not_found" });
  });

  it("still resolves the shipment before the reference when both are unknown", async () => {
    const result = await api.allocate("serviceGroup", "sp_unknown", "NO_SUCH_GROUP");

    expect(result).toMatchObject({ code: "shipment_not_found", reference: "sp_unknown" });
  });
});

describe("rule 5: unallocated and allocation_failed shipments can be allocated", () => {
  const api = useDemoApi();

  it("allocates shipment 921, stored as allocation_failed", async () => {
    expect(await api.shipment(sp(921))).toMatchObject({ state: "ALLOCATION_FAILED", allocation: null });

    const result = await api.allocate("carrierService", sp(921), "DPD-00012");

    expect(result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", details: [] });
    expect(await api.shipment(sp(921))).toMatchObject({ state: "ALLOCATED", allocation: { carrierService: { reference: "DPD-00012" } } });
  });

  it("allocates an unallocated shipment", async () => {
    const result = await api.allocate("serviceGroup", sp(917), "INTERNATIONAL");

    expect(result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", carrierService: { reference: "DPD-00019" } });
  });
});

describe("rule 6: a shipment in another state is not allocated again", () => {
  const api = useDemoApi();

  it("answers an allocated shipment with its state unchanged and one shipment_invalid_state detail", async () => {
    const first = await api.allocate("virtual", sp(912), "FF_LINET-00001");
    const before = await writtenState(api.store);

    const again = await api.allocate("virtual", sp(912), "FF_LINET-00001", undefined, "retry-1");

    expect(again).toEqual({
      __typename: "AllocateResult",
      shipmentReference: sp(912),
      state: "ALLOCATED",
      message: `Shipment ${sp(912)} could not be allocated`,
      correlationId: "retry-1",
      price: null,
      carrier: null,
      trackingDetails: null,
      links: shipmentLink(sp(912)),
      details: [{ code: "shipment_invalid_state", message: expect.stringContaining("allocated"), property: "state" }],
      excludedServices: [],
      carrierService: null,
      shipment: { reference: sp(912), state: "ALLOCATED" },
    });
    expect(await writtenState(api.store)).toEqual(before);
    // the earlier allocation is untouched
    expect(await api.shipment(sp(912))).toMatchObject({
      state: "ALLOCATED",
      allocation: {
        carrierService: { reference: "FF_LINET-00001" },
        price: first.price,
        trackingDetails: first.trackingDetails,
      },
    });
  });

  it("does not move an allocated shipment to another service either", async () => {
    const result = await api.allocate("serviceGroup", sp(912), "UK_ECONOMY");

    expect(result).toMatchObject({ state: "ALLOCATED", carrier: null, details: [{ code: "shipment_invalid_state" }] });
    expect(await api.shipment(sp(912))).toMatchObject({ allocation: { carrierService: { reference: "FF_LINET-00001" } } });
  });

  it("answers a cancelled shipment with state CANCELLED and leaves it cancelled and unallocated", async () => {
    const before = await writtenState(api.store);

    const result = await api.allocate("carrierService", sp(920), "DPD-00012");

    expect(result).toMatchObject({
      __typename: "AllocateResult",
      state: "CANCELLED",
      price: null,
      carrier: null,
      trackingDetails: null,
      carrierService: null,
      links: shipmentLink(sp(920)),
      details: [{ code: "shipment_invalid_state", property: "state" }],
      excludedServices: [],
    });
    expect(result.details).toHaveLength(1);
    expect(await writtenState(api.store)).toEqual(before);
    expect(await api.shipment(sp(920))).toEqual(expect.objectContaining({ state: "CANCELLED", allocation: null }));
  });
});

describe("rules 8-10: choosing within a group through the API", () => {
  const api = useDemoApi();

  it("allocates UK_ECONOMY on 913 to the cheapest, EVRI-00048, and lists the others in group order with codes", async () => {
    const result = await api.allocate("virtual", sp(913), "UK_ECONOMY");

    expect(result).toMatchObject({
      __typename: "AllocateResult",
      state: "ALLOCATED",
      carrier: { reference: "EVRI", name: "Evri", serviceReference: "EVRI-00048", serviceName: "Evri - 48 Hour" },
      // 2.79 + 20% (0.558 rounded half-up) = 3.35, below RM-00048's 3.72 and DPD-00012's 5.40
      price: { net: "2.79", gross: "3.35", taxes: [{ amount: "0.56" }] },
    });
    expect(result.excludedServices).toEqual([
      { carrier: { reference: "RM", serviceReference: "RM-00048" }, exclusion: { code: "ex_rates", reason: "A cheaper service was selected" } },
      { carrier: { reference: "DPD", serviceReference: "DPD-00012" }, exclusion: { code: "ex_rates", reason: "A cheaper service was selected" } },
      { carrier: { reference: "DPD", serviceReference: "DPD-00099" }, exclusion: { code: "ex_inactive", reason: expect.any(String) } },
    ]);
  });
});

describe("rule 11: a failed allocation", () => {
  const api = useDemoApi();

  it("answers a single carrier service that fails on the shipment type with allocation_failed then carrier_service_shipment_mismatch", async () => {
    const result = await api.allocate("carrierService", sp(912), "DPD-00012", undefined, "fail-1");

    expect(result).toEqual({
      __typename: "AllocateResult",
      shipmentReference: sp(912),
      state: "ALLOCATION_FAILED",
      message: `Shipment ${sp(912)} could not be allocated`,
      correlationId: "fail-1",
      price: null,
      carrier: null,
      trackingDetails: null,
      carrierService: null,
      links: shipmentLink(sp(912)),
      details: [
        { code: "allocation_failed", message: expect.any(String), property: null },
        { code: "carrier_service_shipment_mismatch", message: expect.any(String), property: "shipmentType" },
      ],
      excludedServices: [{ carrier: { reference: "DPD", serviceReference: "DPD-00012" }, exclusion: { code: "ex_rules", reason: expect.any(String) } }],
      shipment: { reference: sp(912), state: "ALLOCATION_FAILED" },
    });
  });

  it("stores the state allocation_failed without an allocation", async () => {
    expect(await api.shipment(sp(912))).toEqual({ reference: sp(912), state: "ALLOCATION_FAILED", allocation: null });
    const stored = await api.store.db.selectFrom("shipments").select("state").where("reference", "=", sp(912)).executeTakeFirstOrThrow();
    expect(stored.state).toBe("allocation_failed");
  });

  it("answers a service that fails on something else with allocation_failed only", async () => {
    // HS is an excluded postcode area of DPD-00012
    const result = await api.allocate("carrierService", sp(914), "DPD-00012");

    expect(result).toMatchObject({ state: "ALLOCATION_FAILED", details: [{ code: "allocation_failed" }] });
    expect(result.details).toHaveLength(1);
    expect(result.excludedServices).toEqual([{ carrier: { reference: "DPD", serviceReference: "DPD-00012" }, exclusion: { code: "ex_rules", reason: expect.stringContaining("HS") } }]);
  });

  it("lists every member of a group with no eligible service in excludedServices", async () => {
    // 919 goes to JP and weighs 5 kg: DPD-00019 does not serve JP, RM-00091 carries 2 kg at most
    const result = await api.allocate("serviceGroup", sp(919), "INTERNATIONAL");

    expect(result).toMatchObject({
      state: "ALLOCATION_FAILED",
      carrier: null,
      price: null,
      carrierService: null,
      links: shipmentLink(sp(919)),
      message: `Shipment ${sp(919)} could not be allocated`,
      details: [{ code: "allocation_failed" }],
    });
    expect(result.excludedServices).toEqual([
      { carrier: { reference: "DPD", serviceReference: "DPD-00019" }, exclusion: { code: "ex_availability", reason: expect.any(String) } },
      { carrier: { reference: "RM", serviceReference: "RM-00091" }, exclusion: { code: "ex_weight", reason: expect.any(String) } },
    ]);
    expect(await api.shipment(sp(919))).toMatchObject({ state: "ALLOCATION_FAILED", allocation: null });
  });

  it("can be retried: the failed shipment allocates to a service that carries it", async () => {
    const result = await api.allocate("virtual", sp(912), "FF_LINET-00001");

    expect(result).toMatchObject({ state: "ALLOCATED", carrierService: { reference: "FF_LINET-00001" }, details: [] });
    expect(await api.shipment(sp(912))).toMatchObject({ state: "ALLOCATED", allocation: { carrierService: { reference: "FF_LINET-00001" } } });
  });
});

describe("rule 12: a successful allocation", () => {
  const api = useDemoApi();

  it("answers DPD-00012 on a scheduled GB shipment with every field of the result", async () => {
    const result = await api.allocate("carrierService", sp(913), "DPD-00012", undefined, "corr-913");

    expect(result).toEqual({
      __typename: "AllocateResult",
      shipmentReference: sp(913),
      state: "ALLOCATED",
      message: `Shipment ${sp(913)} has been allocated successfully`,
      correlationId: "corr-913",
      // 4.50 net, 20% tax 0.90, gross 5.40
      price: {
        net: "4.50",
        gross: "5.40",
        currency: "GBP",
        taxes: [{ amount: "0.90", rate: { reference: "DPD-00012", countryIsoCode: "GB", type: "Standard", value: "0.2" } }],
      },
      carrier: { reference: "DPD", name: "DPD", serviceReference: "DPD-00012", serviceName: "DPD - Next Day" },
      trackingDetails: { shipment: { reference: sp(913), trackingReferences: ["15501000000001"] }, contents: [] },
      links: successLinks(BASE_URL, sp(913)),
      details: [],
      excludedServices: [],
      carrierService: { reference: "DPD-00012" },
      shipment: { reference: sp(913), state: "ALLOCATED" },
    });
  });

  it("prices from the first rate band that covers the weight and numbers consecutively on one carrier", async () => {
    // 915 weighs 2 × 9 kg = 18 kg: DPD-00012's 30 kg band, 7.95 + 1.59
    const result = await api.allocate("carrierService", sp(915), "DPD-00012");

    expect(result.price).toMatchObject({ net: "7.95", gross: "9.54", taxes: [{ amount: "1.59" }] });
    expect(result.trackingDetails.shipment.trackingReferences).toEqual(["15501000000002"]);
  });

  it("writes a zero tax as 0.00 and gives a carrier's tracking reference without padding", async () => {
    const result = await api.allocate("virtual", sp(912), "FF_LINET-00001");

    expect(result.price).toEqual({
      net: "2.00",
      gross: "2.00",
      currency: "GBP",
      taxes: [{ amount: "0.00", rate: { reference: "FF_LINET-00001", countryIsoCode: "GB", type: "Zero", value: "0" } }],
    });
    expect(result.trackingDetails.shipment.trackingReferences).toEqual(["19297253"]);
  });

  it("puts the carrier's prefix and suffix around the number (Royal Mail: TT…GB), consecutive numbers on one carrier", async () => {
    const first = await api.allocate("carrierService", sp(916), "RM-00024");
    const second = await api.allocate("carrierService", sp(922), "RM-00048");

    expect(first.trackingDetails.shipment.trackingReferences).toEqual(["TT10000001GB"]);
    expect(second.trackingDetails.shipment.trackingReferences).toEqual(["TT10000002GB"]);
  });

  it("gives a new UUID as correlationId when the request has none", async () => {
    const result = await api.allocate("serviceGroup", sp(921), "NEXT_DAY");

    expect(result.state).toBe("ALLOCATED");
    expect(result.correlationId).toMatch(UUID);
  });
});

describe("rule 13: the stored allocation", () => {
  const api = useDemoApi();

  it("shows on the shipment what the result showed, with an ISO 8601 allocationDate", async () => {
    const startedAt = Date.now();
    const result = await api.allocate("virtual", sp(913), "UK_ECONOMY");

    const shipment = await api.shipment(sp(913));

    expect(shipment).toEqual({
      reference: sp(913),
      state: "ALLOCATED",
      allocation: {
        carrier: result.carrier,
        carrierService: result.carrierService,
        allocationDate: expect.any(String),
        price: result.price,
        trackingDetails: result.trackingDetails,
        links: result.links,
      },
    });
    const date = shipment.allocation.allocationDate;
    expect(new Date(date).toISOString()).toBe(date);
    expect(new Date(date).getTime()).toBeGreaterThanOrEqual(startedAt - 1_000);
  });

  it("has no allocation on a shipment that was never allocated", async () => {
    expect(await api.shipment(sp(918))).toEqual({ reference: sp(918), state: "UNALLOCATED", allocation: null });
  });
});
