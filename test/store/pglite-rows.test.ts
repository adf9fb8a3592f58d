import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAccountByApiKey } from "../../src/store/accounts";
import { findShipmentsByRefs } from "../../src/store/shipments";
import type { PgliteStore } from "../../src/store/store";
import { DEMO_KEY } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const SHIPMENT = "sp_00802615769404976542730318118912";

// patches/@electric-sql+pglite+0.4.6.patch backports PGlite 0.5.14's fix: 0.4.6 copied its ~300 type
// parsers into a new object for every statement's rows, ≈ 75 µs of CPU on the server's own core
describe("the embedded store reads rows without copying PGlite's type parsers (patches/)", () => {
  let store: DemoStore & PgliteStore;

  beforeAll(async () => {
    store = (await openDemoPglite()) as DemoStore & PgliteStore;
  });
  afterAll(() => store.dropDatabase());

  it("parses a statement's rows with the database's parsers, enumerating them not once", async () => {
    // Arrange: count what a copy of the parsers does first (an object spread lists their keys)
    const account = await findAccountByApiKey(store.db, DEMO_KEY);
    const { pglite } = store;
    const parsers = pglite.parsers;
    let enumerations = 0;
    pglite.parsers = new Proxy(parsers, {
      ownKeys(target) {
        enumerations++;
        return Reflect.ownKeys(target);
      },
    });

    // Act
    const [shipment] = await findShipmentsByRefs(store.db, account!.id, [SHIPMENT]);
    pglite.parsers = parsers;

    // Assert: the row read as before (its JSON columns parsed), and no copy made
    expect(shipment).toMatchObject({ reference: SHIPMENT, accountId: account!.id, state: "unallocated" });
    expect(shipment.contents).toEqual([{ weightKg: "1.2", value: { amount: "25.00", currency: "GBP" }, quantity: 1 }]);
    expect(enumerations).toBe(0);
  });
});
