import type { ColumnType, Generated } from "kysely";

// Kysely's view of the tables in migrations/. numeric and int8 columns arrive as strings.
type Numeric = ColumnType<string, string, string>;
type NullableNumeric = ColumnType<string | null, string | null | undefined, string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface AccountsTable {
  id: Generated<number>;
  reference: string;
  name: string;
}

export interface ApiKeysTable {
  key_hash: string;
  account_id: number;
}

export interface CarriersTable {
  id: Generated<number>;
  reference: string;
  name: string;
  tracking_prefix: string;
  tracking_suffix: string;
  tracking_sequence: string;
}

export interface CarrierServicesTable {
  id: Generated<number>;
  account_id: number;
  reference: string;
  name: string;
  carrier_id: number;
  active: boolean;
  shipment_types: string[];
  destination_countries: string[];
  excluded_postcode_areas: string[];
  tags: string[];
  max_weight_kg: NullableNumeric;
  max_length_cm: NullableNumeric;
  max_width_cm: NullableNumeric;
  max_height_cm: NullableNumeric;
  max_value_amount: NullableNumeric;
  max_value_currency: string | null;
  rates: Json<{ maxWeightKg: string; net: string }[]>;
  currency: string;
  tax_country_iso_code: string;
  tax_type: string;
  tax_value: Numeric;
}

export interface ServiceGroupsTable {
  id: Generated<number>;
  account_id: number;
  reference: string;
  name: string;
}

export interface ServiceGroupMembersTable {
  group_id: number;
  position: number;
  service_id: number;
}

export interface ShipmentsTable {
  id: Generated<number>;
  account_id: number;
  reference: string;
  state: string;
  shipment_type: string;
  origin: Json<{ countryIsoCode: string; postalCode?: string | null }>;
  destination: Json<{ countryIsoCode: string; postalCode?: string | null }>;
  tags: string[];
  contents: Json<unknown[]>;
}

export interface AllocationsTable {
  /** bigint: arrives as a string. */
  id: Generated<string>;
  shipment_id: number;
  carrier_service_id: number;
  carrier_service_reference: string;
  carrier_reference: string;
  carrier_name: string;
  service_name: string;
  allocation_date: ColumnType<Date, Date | string | undefined, Date | string>;
  net: Numeric;
  gross: Numeric;
  currency: string;
  taxes: Json<unknown[]>;
  tracking_references: string[];
  deallocated_at: ColumnType<Date | null, never, Date | string>;
  deallocation_reason: ColumnType<string | null, never, string | null>;
}

export interface QuoteSigningKeyTable {
  singleton: boolean;
  /** pg gives a Buffer, PGlite a Uint8Array. */
  secret: Uint8Array;
}

export interface IdempotencyKeysTable {
  account_id: number;
  key: string;
  request_hash: string;
  result: ColumnType<unknown, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: ColumnType<Date, never, never>;
}

export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  carriers: CarriersTable;
  carrier_services: CarrierServicesTable;
  service_groups: ServiceGroupsTable;
  service_group_members: ServiceGroupMembersTable;
  shipments: ShipmentsTable;
  allocations: AllocationsTable;
  idempotency_keys: IdempotencyKeysTable;
  quote_signing_key: QuoteSigningKeyTable;
  schema_migrations: SchemaMigrationsTable;
}
