// Rule numbers: docs/allocation-rules.md
// Rule 15's signing key is read once per store, on first use. When that first use is an allocation
// by quote with an idempotencyKey, the key's transaction already holds a connection: the read must go
// over it, not wait for another (PGlite has one; a pool of one connection on PostgreSQL likewise).
import { expect, it } from "vitest";
import { openPgliteStore, openPostgresStore, type PgliteStore, type Store } from "../../src/store/store";
import { ALLOCATE_WITH_QUOTE, PREVIEW } from "../api/lifecycle";
import { createOperationRunner } from "../support/server";
import { describeStores, type PostgresDemoStore } from "../support/stores";

const SHIPMENT = "sp_00802615769404976542730318118912";

// another process on the same data: a store object of its own, so the key is not read yet
async function sameDataElsewhere(store: Store): Promise<Store> {
  if (store.kind === "pglite") return openPgliteStore({ loadDataDir: await (store as PgliteStore).pglite.dumpDataDir() });
  // one connection, and a short wait for it: a second connection asked for would fail in 1 s
  return openPostgresStore((store as PostgresDemoStore).databaseUrl, { poolSize: 1, timeouts: { connectMs: 1_000 } });
}

describeStores("rule 15: the quote's signing key, first read inside an idempotency key's transaction", (open) => {
  it("the keyed allocation by quote answers, at the quoted price", async () => {
    const issuer = await open();
    const preview = await (await createOperationRunner(issuer)).run(PREVIEW, { shipmentRef: SHIPMENT, ref: "FF_LINET-00001" });
    const quote = preview.data?.result.quote;
    const other = await sameDataElsewhere(issuer);
    try {
      const runner = await createOperationRunner(other);

      const response = await runner.run(ALLOCATE_WITH_QUOTE, { shipmentRef: SHIPMENT, quoteRef: quote.reference, key: "first-use-of-the-key" });

      expect(response.errors).toBeUndefined();
      expect(response.data?.result).toMatchObject({ __typename: "AllocateResult", state: "ALLOCATED", price: quote.price });
    } finally {
      await other.close();
      await issuer.dropDatabase();
    }
  });
});
