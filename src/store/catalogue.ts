import type { Kysely, Selectable } from "kysely";
import { anyOf } from "./sql";
import type { CarrierServicesTable, CarriersTable, Database } from "./database";
import type { CarrierServiceRecord, ServiceGroupRecord, ShipmentType } from "../allocation/engine/records";

type ServiceRow = Selectable<CarrierServicesTable> & {
  carrier_reference: CarriersTable["reference"];
  carrier_name: CarriersTable["name"];
};

function servicesQuery(db: Kysely<Database>, accountId: number) {
  return db
    .selectFrom("carrier_services as s")
    .innerJoin("carriers as c", "c.id", "s.carrier_id")
    .selectAll("s")
    .select(["c.reference as carrier_reference", "c.name as carrier_name"])
    .where("s.account_id", "=", accountId);
}

export function toCarrierServiceRecord(row: ServiceRow): CarrierServiceRecord {
  const dims =
    row.max_length_cm !== null && row.max_width_cm !== null && row.max_height_cm !== null
      ? { length: row.max_length_cm, width: row.max_width_cm, height: row.max_height_cm }
      : null;
  return {
    id: row.id,
    accountId: row.account_id,
    reference: row.reference,
    name: row.name,
    carrier: { id: row.carrier_id, reference: row.carrier_reference, name: row.carrier_name },
    active: row.active,
    shipmentTypes: row.shipment_types as ShipmentType[],
    destinationCountries: row.destination_countries,
    excludedPostcodeAreas: row.excluded_postcode_areas,
    tags: row.tags,
    maxWeightKg: row.max_weight_kg,
    maxDimensionsCm: dims,
    maxValue:
      row.max_value_amount !== null && row.max_value_currency !== null
        ? { amount: row.max_value_amount, currency: row.max_value_currency }
        : null,
    rates: row.rates,
    currency: row.currency,
    tax: { countryIsoCode: row.tax_country_iso_code, type: row.tax_type, value: row.tax_value },
  };
}

function toGroupRecord(row: { id: number; account_id: number; reference: string; name: string }): ServiceGroupRecord {
  return { id: row.id, accountId: row.account_id, reference: row.reference, name: row.name };
}

export async function findCarrierServicesByRefs(
  db: Kysely<Database>,
  accountId: number,
  references: readonly string[],
): Promise<CarrierServiceRecord[]> {
  const rows = await servicesQuery(db, accountId).where("s.reference", "=", anyOf(references)).execute();
  return rows.map(toCarrierServiceRecord);
}

export async function listCarrierServices(db: Kysely<Database>, accountId: number): Promise<CarrierServiceRecord[]> {
  const rows = await servicesQuery(db, accountId).orderBy("s.reference").execute();
  return rows.map(toCarrierServiceRecord);
}

export async function findServiceGroupsByRefs(
  db: Kysely<Database>,
  accountId: number,
  references: readonly string[],
): Promise<ServiceGroupRecord[]> {
  const rows = await db
    .selectFrom("service_groups")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("reference", "=", anyOf(references))
    .execute();
  return rows.map(toGroupRecord);
}

export async function listServiceGroups(db: Kysely<Database>, accountId: number): Promise<ServiceGroupRecord[]> {
  const rows = await db
    .selectFrom("service_groups")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("reference")
    .execute();
  return rows.map(toGroupRecord);
}

/** Members of each group, in priority order. */
export async function findGroupMembers(
  db: Kysely<Database>,
  accountId: number,
  groupIds: readonly number[],
): Promise<{ groupId: number; service: CarrierServiceRecord }[]> {
  const rows = await servicesQuery(db, accountId)
    .innerJoin("service_group_members as m", "m.service_id", "s.id")
    .select("m.group_id")
    .where("m.group_id", "=", anyOf(groupIds))
    .orderBy("m.group_id")
    .orderBy("m.position")
    .execute();
  return rows.map((row) => ({ groupId: row.group_id, service: toCarrierServiceRecord(row) }));
}

/** The groups each service belongs to. */
export async function findGroupsOfServices(
  db: Kysely<Database>,
  accountId: number,
  serviceIds: readonly number[],
): Promise<{ serviceId: number; group: ServiceGroupRecord }[]> {
  const rows = await db
    .selectFrom("service_groups as g")
    .innerJoin("service_group_members as m", "m.group_id", "g.id")
    .selectAll("g")
    .select("m.service_id")
    .where("g.account_id", "=", accountId)
    .where("m.service_id", "=", anyOf(serviceIds))
    .orderBy("g.reference")
    .execute();
  return rows.map((row) => ({ serviceId: row.service_id, group: toGroupRecord(row) }));
}
