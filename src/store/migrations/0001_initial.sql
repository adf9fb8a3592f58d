-- Catalogue, shipments and allocations. Carriers are global; everything else belongs to an account.

CREATE TABLE accounts (
  id          serial PRIMARY KEY,
  reference   text NOT NULL UNIQUE,
  name        text NOT NULL
);

CREATE TABLE api_keys (
  key_hash    text PRIMARY KEY,          -- hex SHA-256 of the key; the key itself is never stored
  account_id  integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);

CREATE TABLE carriers (
  id               serial PRIMARY KEY,
  reference        text NOT NULL UNIQUE,
  name             text NOT NULL,
  tracking_prefix  text NOT NULL DEFAULT '',
  tracking_suffix  text NOT NULL DEFAULT '',
  tracking_sequence text NOT NULL UNIQUE  -- name of this carrier's own sequence
);

CREATE TABLE carrier_services (
  id                       serial PRIMARY KEY,
  account_id               integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  reference                text NOT NULL,
  name                     text NOT NULL,
  carrier_id               integer NOT NULL REFERENCES carriers(id),
  active                   boolean NOT NULL DEFAULT true,
  shipment_types           text[] NOT NULL,
  destination_countries    text[] NOT NULL,
  excluded_postcode_areas  text[] NOT NULL DEFAULT '{}',
  tags                     text[] NOT NULL DEFAULT '{}',
  max_weight_kg            numeric,
  max_length_cm            numeric,
  max_width_cm             numeric,
  max_height_cm            numeric,
  max_value_amount         numeric,
  max_value_currency       text,
  rates                    jsonb NOT NULL,  -- [{maxWeightKg, net}] as decimal strings, ascending
  currency                 text NOT NULL,
  tax_country_iso_code     text NOT NULL,
  tax_type                 text NOT NULL,
  tax_value                numeric NOT NULL,
  UNIQUE (account_id, reference)
);

CREATE TABLE service_groups (
  id          serial PRIMARY KEY,
  account_id  integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  reference   text NOT NULL,
  name        text NOT NULL,
  UNIQUE (account_id, reference)
);

CREATE TABLE service_group_members (
  group_id    integer NOT NULL REFERENCES service_groups(id) ON DELETE CASCADE,
  position    integer NOT NULL,
  service_id  integer NOT NULL REFERENCES carrier_services(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, position)
);
CREATE INDEX service_group_members_service_idx ON service_group_members (service_id);

CREATE TABLE shipments (
  id                    serial PRIMARY KEY,
  account_id            integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  reference             text NOT NULL,
  state                 text NOT NULL CHECK (state IN
                          ('unallocated','allocating','allocated','allocation_failed','manifested','cancelled')),
  shipment_type         text NOT NULL CHECK (shipment_type IN ('scheduled','on_demand')),
  origin                jsonb NOT NULL,
  destination           jsonb NOT NULL,
  tags                  text[] NOT NULL DEFAULT '{}',
  contents              jsonb NOT NULL,  -- [{weightKg, dimensionsCm?, value {amount, currency}, quantity}]
  UNIQUE (account_id, reference)
);

CREATE TABLE allocations (
  shipment_id               integer PRIMARY KEY REFERENCES shipments(id) ON DELETE CASCADE,
  carrier_service_id        integer NOT NULL REFERENCES carrier_services(id),
  carrier_service_reference text NOT NULL,
  carrier_reference         text NOT NULL,
  carrier_name              text NOT NULL,
  service_name              text NOT NULL,
  allocation_date           timestamptz NOT NULL DEFAULT now(),
  net                       numeric(14,2) NOT NULL,
  gross                     numeric(14,2) NOT NULL,
  currency                  text NOT NULL,
  taxes                     jsonb NOT NULL,  -- [{rate {reference, countryIsoCode, type, value}, amount}]
  tracking_references       text[] NOT NULL
);
