import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";
/** Each operation's id in client/generated/persisted-query-manifest.json (the list a router is given), without the bodies. */
export const persistedQueryIds = {
  operations: [
    { name: "AllocateShipmentWithCarrierService", id: "0eb1d781eb7d00e9222384312193c378b53cf325c4934b3993b9469ebecb2b76" },
    { name: "AllocateShipmentWithQuote", id: "3b0e1cafcfbc8f0da869014d9888e91f52ac6744cb5b9cc57522c7e0a5c869fc" },
    { name: "AllocateShipmentWithServiceGroup", id: "b87546b2f3d7749288ac33501893f815a59f40f4dfcdc6e8080673ca4d05dd3c" },
    { name: "AllocateShipmentWithVirtualService", id: "237d78b144f893cd714e3b6541bf67b20c6f3650bcd6d2cd8d4fb2d82f10d3be" },
    { name: "CarrierService", id: "f237d16db5c057dbb4e22bb7ed8b164cccc2c201f540b9d9c3ac144c2c7f5ef3" },
    { name: "DeallocateShipment", id: "e0fa8b64e8cb56970455532696c5cc4d0d1c07b96cfb7429f3432ccb5059602a" },
    { name: "PreviewAllocationWithVirtualService", id: "2929bef862f01f49fa7d79d15d4dacb4926df32b74721bfcb99485522a1d573f" },
    { name: "ServiceGroup", id: "8a4b0875e1ebf78f2ba0d86c06d5bb23318cb7c696df81698ede0b698527e56e" },
    { name: "Shipment", id: "9d984b4e32ef569b00b90eb47792fc4223b82c7d456cd852d78b5cb2cf11ff22" },
    { name: "ShipmentAllocationHistory", id: "04b4b341e9a1cec26f2b7d216bcfe830f147bd701848dde5fe6c413aa27d6bd4" },
  ],
};

/** Apollo Client 4's link that sends each operation as its id, not its text; put it before the HttpLink. */
export function createPersistedQueryLink(): PersistedQueryLink {
  return new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => persistedQueryIds }));
}
