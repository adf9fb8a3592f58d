import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SHIPMENT_STATES } from "../../src/allocation/engine/records";
import { ShipmentState } from "../../src/shipment/shipment-state.enum";
import { describeStores, type DemoStore } from "../support/stores";

// one list of states (src/allocation/engine/records.ts) makes the GraphQL enum; the database must agree with it
describeStores("the shipment states: one list for the code, the schema and the database", (open) => {
  let store: DemoStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store.dropDatabase());

  it("builds the GraphQL enum from the list: every state, by its name in capitals", () => {
    expect(Object.entries(ShipmentState)).toEqual(SHIPMENT_STATES.map((state) => [state.toUpperCase(), state]));
  });

  it("has a check constraint on shipments.state that allows exactly the listed states", async () => {
    const { rows } = await sql<{ definition: string }>`
      SELECT pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.conrelid = 'shipments'::regclass AND c.contype = 'c' AND a.attname = 'state'`.execute(store.db);

    expect(rows).toHaveLength(1);
    const allowed = [...rows[0].definition.matchAll(/'([^']+)'::text/g)].map((match) => match[1]);
    expect(allowed.sort()).toEqual([...SHIPMENT_STATES].sort());
  });

  it("refuses a state that is not in the list", async () => {
    const update = sql`UPDATE shipments SET state = 'lost' WHERE id = (SELECT min(id) FROM shipments)`.execute(store.db);

    await expect(update).rejects.toThrow(/check constraint/);
  });
});
