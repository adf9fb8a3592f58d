// Rule numbers: docs/allocation-rules.md
// Quote references: a signed, self-contained token, so a preview writes nothing and every process
// on the database verifies what any of them issued. The key is the database's own (migration 0003).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { AllocationScope } from "./allocation.service";
import type { Store } from "../store";
import { findQuoteSigningKey } from "../store/quotes";
import type { PriceRecord, ShipmentRecord } from "./engine/records";

/** What a quote holds: for whom, which service, at what price, until when. */
export interface QuoteTerms {
  accountId: number;
  shipmentId: number;
  serviceReference: string;
  price: PriceRecord;
  /** Epoch milliseconds: expired from this instant on. */
  expiresAt: number;
}

type QuoteCheck = { valid: QuoteTerms } | { expired: QuoteTerms } | { unknown: true };

// the version is signed with the rest: a later format can never be read as this one
const VERSION = "q1";
// far above any reference issued here (a few hundred characters): longer ones are not even hashed
const MAX_LENGTH = 2_048;

// the key never changes, so each store reads it once; a failed read is retried by the next request
const keys = new WeakMap<Store, Promise<Buffer>>();

// read through the scope's db: inside a key's transaction, never a second connection of the pool
function signingKey({ store, db }: AllocationScope): Promise<Buffer> {
  let key = keys.get(store);
  if (!key) {
    key = findQuoteSigningKey(db);
    keys.set(store, key);
    key.catch(() => keys.delete(store));
  }
  return key;
}

// positional, to keep references short: [account, shipment, service, net, gross, currency, taxes, expiresAt]
type Wire = [number, number, string, string, string, string, [string, string, string, string, string][], number];

function toWire(t: QuoteTerms): Wire {
  const taxes = t.price.taxes.map(({ rate, amount }): Wire[6][number] => [
    rate.reference,
    rate.countryIsoCode,
    rate.type,
    rate.value,
    amount,
  ]);
  return [t.accountId, t.shipmentId, t.serviceReference, t.price.net, t.price.gross, t.price.currency, taxes, t.expiresAt];
}

function fromWire([accountId, shipmentId, serviceReference, net, gross, currency, taxes, expiresAt]: Wire): QuoteTerms {
  const taxLines = taxes.map(([reference, countryIsoCode, type, value, amount]) => ({
    rate: { reference, countryIsoCode, type, value },
    amount,
  }));
  return { accountId, shipmentId, serviceReference, price: { net, gross, taxes: taxLines, currency }, expiresAt };
}

function signature(key: Buffer, signed: string): string {
  return createHmac("sha256", key).update(signed).digest("base64url");
}

export async function issueQuote(
  ctx: AllocationScope,
  shipment: ShipmentRecord,
  serviceReference: string,
  price: PriceRecord,
): Promise<{ reference: string; terms: QuoteTerms }> {
  const terms: QuoteTerms = {
    accountId: ctx.accountId,
    shipmentId: shipment.id,
    serviceReference,
    price,
    expiresAt: Date.now() + ctx.config.quoteTtlSeconds * 1000,
  };
  const signed = `${VERSION}.${Buffer.from(JSON.stringify(toWire(terms))).toString("base64url")}`;
  return { reference: `${signed}.${signature(await signingKey(ctx), signed)}`, terms };
}

/**
 * Rule 15. The signature covers the reference's text exactly as given and is compared as text, so
 * a changed, extended or re-encoded reference (base64url has several spellings of the same bytes)
 * is unknown; so is one of another account or shipment. Expiry is checked last.
 */
export async function checkQuote(ctx: AllocationScope, reference: string, shipment: ShipmentRecord): Promise<QuoteCheck> {
  const parts = reference.length <= MAX_LENGTH ? reference.split(".") : [];
  if (parts.length !== 3 || parts[0] !== VERSION) return { unknown: true };
  const [version, payload, given] = parts as [string, string, string];
  const expected = Buffer.from(signature(await signingKey(ctx), `${version}.${payload}`));
  const presented = Buffer.from(given);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return { unknown: true };
  const terms = fromWire(JSON.parse(Buffer.from(payload, "base64url").toString()) as Wire);
  if (terms.accountId !== ctx.accountId || terms.shipmentId !== shipment.id) return { unknown: true };
  return Date.now() >= terms.expiresAt ? { expired: terms } : { valid: terms };
}
