// An Apollo Client 4 as an app sets it up (the generated possibleTypes), against a live gateway in
// front of this subgraph and the shipments peer, as a React wrapper for renderHook.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import type { ReactNode } from "react";
import { afterAll, beforeAll } from "vitest";
import generatedPossibleTypes from "../../client/generated/possible-types";
import { startSupergraph } from "../federation/gateway";
import { DEMO_KEY } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

type Wrapper = (props: { children: ReactNode }) => ReactNode;

/** For the enclosing describe: a demo store behind a gateway, and the wrapper of a client of it. */
export function useLiveGateway(): { wrapper: Wrapper } {
  const live = {} as { wrapper: Wrapper };
  let store: DemoStore | undefined;
  let supergraph: Awaited<ReturnType<typeof startSupergraph>> | undefined;
  beforeAll(async () => {
    store = await openDemoPglite();
    supergraph = await startSupergraph(store);
    const client = new ApolloClient({
      link: new HttpLink({ uri: supergraph.gateway.url, headers: { "x-api-key": DEMO_KEY } }),
      cache: new InMemoryCache({ possibleTypes: generatedPossibleTypes.possibleTypes }),
    });
    live.wrapper = ({ children }) => <ApolloProvider client={client}>{children}</ApolloProvider>;
  });
  afterAll(async () => {
    await supergraph?.stop();
    await store?.close();
  });
  return live;
}
