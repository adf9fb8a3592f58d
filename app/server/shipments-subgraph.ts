// A stand-in for the `shipments` subgraph that owns the rest of Shipment: a few demo shipments per
// account, each with a customer reference. It lists by the forwarded x-api-key, like the real one.
// `npm run app` composes it with the allocation subgraph; so do the federation tests.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import gql from "graphql-tag";
import { firstHeader } from "./gateway";

export const SHIPMENTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Shipment @key(fields: "reference") {
    reference: ID!
    customerReference: String!
  }

  type Query {
    "The caller's shipments."
    shipments: [Shipment!]!
    "Any account's shipment: this peer does not check the account, so the allocation subgraph must."
    shipmentByCustomerReference(customerReference: String!): Shipment
  }
`;

const demoRef = (n: number) => `sp_00802615769404976542730318118${n}`;
export const DEMO_SHIPMENTS = [912, 913, 914, 915, 916, 917, 918, 919, 920, 921, 922, 923].map(demoRef);
export const NORTHWIND_SHIPMENTS = ["sp_00900000000000000000000000000001"];

// the demo data set's two accounts, by their API keys (data/demo-dataset.json)
const SHIPMENTS_BY_KEY: Record<string, string[]> = { "demo-api-key": DEMO_SHIPMENTS, "northwind-api-key": NORTHWIND_SHIPMENTS };

/** The peer's own field: derived from the reference so that a test can predict it. */
export const customerReferenceOf = (reference: string) => `CUST-${reference.slice(-4)}`;

interface PeerContext {
  apiKey: string | undefined;
}

const shipment = (reference: string) => ({ reference, customerReference: customerReferenceOf(reference) });
const allShipments = new Set([...DEMO_SHIPMENTS, ...NORTHWIND_SHIPMENTS]);

const resolvers = {
  Query: {
    shipments: (_: unknown, __: unknown, ctx: PeerContext) => (SHIPMENTS_BY_KEY[ctx.apiKey ?? ""] ?? []).map(shipment),
    shipmentByCustomerReference: (_: unknown, args: { customerReference: string }) =>
      [...allShipments].map(shipment).find((s) => s.customerReference === args.customerReference) ?? null,
  },
  Shipment: {
    __resolveReference: (ref: { reference: string }) => (allShipments.has(ref.reference) ? shipment(ref.reference) : null),
  },
};

export interface RunningPeer {
  url: string;
  stop(): Promise<void>;
}

export async function startShipmentsSubgraph(): Promise<RunningPeer> {
  const server = new ApolloServer<PeerContext>({
    schema: buildSubgraphSchema({ typeDefs: gql(SHIPMENTS_SDL), resolvers: resolvers as never }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async ({ req }) => ({ apiKey: firstHeader(req.headers["x-api-key"]) }),
  });
  return { url, stop: () => server.stop() };
}
