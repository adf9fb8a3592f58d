// The gateway of app/server/gateway.ts on an ephemeral port, with a helper to POST to it.
import { startStandaloneServer } from "@apollo/server/standalone";
import { createGatewayServer, gatewayContext, type GatewayOptions, type Subgraph } from "../../app/server/gateway";
import type { GraphQLResponse } from "../support/server";

export { compose, type Subgraph } from "../../app/server/gateway";

export interface RunningGateway {
  url: string;
  post<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export async function startGateway(subgraphs: Subgraph[], options: GatewayOptions = {}): Promise<RunningGateway> {
  const server = await createGatewayServer(subgraphs, options);
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async ({ req }) => gatewayContext(req.headers),
  });
  return {
    url,
    async post<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse<T>["body"] };
    },
    stop: () => server.stop(),
  };
}
