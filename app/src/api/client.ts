// The one Apollo Client of the app. Components reach the API only through the generated hooks
// (client/generated/graphql.ts); test/app/api-boundary.test.ts keeps it so.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import generated from "../../../client/generated/possible-types";

/** The gateway's GraphQL endpoint: the app is served from the same origin. */
const GRAPHQL_PATH = "/graphql";

export function createClient(apiKey: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: GRAPHQL_PATH, headers: { "x-api-key": apiKey } }),
    cache: new InMemoryCache({
      possibleTypes: generated.possibleTypes,
      // entities are identified by their reference, as in the supergraph's @key
      typePolicies: {
        Shipment: { keyFields: ["reference"] },
        CarrierService: { keyFields: ["reference"] },
        ServiceGroup: { keyFields: ["reference"] },
      },
    }),
  });
}

/** A fresh key per allocation attempt, reused when that attempt is retried: a retry never allocates twice. */
export function newIdempotencyKey(): string {
  // getRandomValues works on plain http (a phone on the warehouse LAN); randomUUID needs a secure context
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
