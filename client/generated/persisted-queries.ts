import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";
/** Each operation's id in client/generated/persisted-query-manifest.json (the list a router is given), without the bodies. */
export const persistedQueryIds = {
  operations: [
    { name: "AllocateShipmentWithCarrierService", id: "ed1d2ebf799dc99327f2519230dfb262d9d2cfb7c71a82c1a0f272e82dfd241c" },
    { name: "AllocateShipmentWithQuote", id: "44393668cb122459db7ee06e3c4cb6ce7106d542690548c706c7dbec1fca4ae6" },
    { name: "AllocateShipmentWithServiceGroup", id: "1cd803be5974d6e21614a87ea39ddeb981cf9f2637650c96f386db9d3a7585ea" },
    { name: "AllocateShipmentWithVirtualService", id: "d5710f8a3cb5fc8330cbcfbbbe8d19bbfe2a92d90b6f7c79383af734d67a364c" },
    { name: "AllocateShipments", id: "2fcf305c6bd0725308dde401d9dd2a5f0da60c6315f0854c654552278ed5ef88" },
    { name: "CarrierService", id: "f237d16db5c057dbb4e22bb7ed8b164cccc2c201f540b9d9c3ac144c2c7f5ef3" },
    { name: "DeallocateShipment", id: "e0fa8b64e8cb56970455532696c5cc4d0d1c07b96cfb7429f3432ccb5059602a" },
    { name: "PreviewAllocationWithVirtualService", id: "a7346ad44a1a09cb2e244062d1bc5ba10f3b5464621d0bd56b8e173af45d3627" },
    { name: "ServiceGroup", id: "8a4b0875e1ebf78f2ba0d86c06d5bb23318cb7c696df81698ede0b698527e56e" },
    { name: "Shipment", id: "b4f548879257209a1f54e5b591ffabba48f37b02d12f3fdff1da4af055762359" },
    { name: "ShipmentAllocationHistory", id: "36878019f73f4ac4b50f67c1baed186040f0edb359513e7861e68a785ca0cbcc" },
    { name: "ShipmentLabel", id: "b3714c89003b8fac95fcfa872d0ba71b198d0460968e230641fb66c58325c38e" },
  ],
};

/** Apollo Client 4's link that sends each operation as its id, not its text; put it before the HttpLink. */
export function createPersistedQueryLink(): PersistedQueryLink {
  return new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => persistedQueryIds }));
}
