// An Apollo Client 4 as an app sets it up (the generated possibleTypes), as a React wrapper for renderHook.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import type { ReactNode } from "react";
import generatedPossibleTypes from "../../client/generated/possible-types";
import { DEMO_KEY } from "../support/server";

export function apolloWrapper(uri: string): (props: { children: ReactNode }) => ReactNode {
  const client = new ApolloClient({
    link: new HttpLink({ uri, headers: { "x-api-key": DEMO_KEY } }),
    cache: new InMemoryCache({ possibleTypes: generatedPossibleTypes.possibleTypes }),
  });
  return ({ children }) => <ApolloProvider client={client}>{children}</ApolloProvider>;
}
