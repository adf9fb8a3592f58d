// Names the SQL statements the query layer runs, by what they read or write, so tests can say which ran.

const KINDS: [string, RegExp][] = [
  ["apiKey", /^select .* from "api_keys"/],
  ["shipmentByRef", /^select .* from "shipments"/],
  ["allocationHistoryByShipment", /^select .* from "allocations" .* order by "a"."shipment_id", "a"."id" desc/],
  ["allocationByShipment", /^select .* from "allocations"/],
  ["quoteSigningKey", /^select .* from "quote_signing_key"/],
  ["groupMembers", /^select .* from "carrier_services" .*join "service_group_members"/],
  ["carrierServiceByRef", /^select .* from "carrier_services"/],
  ["groupsOfService", /^select .* from "service_groups" .*join "service_group_members"/],
  ["serviceGroupByRef", /^select .* from "service_groups"/],
  ["begin", /^(begin|start transaction)/],
  // an allocation: the guarded state change and the insert, in one statement (functions of migration 0004)
  ["claimAndInsert", /^select .* from allocate_shipment\(/],
  // several allocations issued at once, one statement for all (src/store/shared-statements.ts)
  ["claimAndInsertShared", /^select .* from allocate_shipments\(/],
  // a failed attempt's claim (a function too), a deallocation's
  ["claimShipment", /^(select claim_shipment\(|update "shipments")/],
  ["voidAllocation", /^update "allocations"/],
  ["commit", /^commit/],
];

export function statementKind(sql: string): string {
  const text = sql.replace(/\s+/g, " ").trim().toLowerCase();
  return KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? `other: ${text.slice(0, 80)}`;
}

/** Collects statements; `take()` returns their kinds and starts over. */
export function statementLog() {
  let statements: string[] = [];
  return {
    onQuery: (sql: string) => void statements.push(sql),
    take(): string[] {
      const kinds = statements.map(statementKind);
      statements = [];
      return kinds;
    },
  };
}

export function tally(kinds: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * The writes of allocations issued at once (a batch's, up to 100): one statement on either engine,
 * atomic on its own (a cut-off one is cancelled); shared when there are several.
 */
export function allocationWrites(allocations = 1): Record<string, number> {
  return allocations === 1 ? { claimAndInsert: 1 } : { claimAndInsertShared: 1 };
}
