// A real @apollo/gateway in front of real subgraphs, over HTTP on ephemeral ports, composed with
// @apollo/composition from each subgraph's `_service { sdl }` (what a router does at start-up; app/server/gateway.ts).
export { compose, type Subgraph } from "../../app/server/gateway";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { context as otelContext, propagation } from "@opentelemetry/api";
import { ApolloServer, type PersistedQueryOptions } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import type { Store } from "../../src/store";
import { startHttpServer, type GraphQLResponse } from "../support/server";
import { compose, firstHeader, type GatewayContext, type GatewayOptions as AppGatewayOptions, type Subgraph } from "../../app/server/gateway";
import { startShipmentsSubgraph } from "../../app/server/shipments-subgraph";

export interface GatewayOptions extends AppGatewayOptions {
  /**
   * Operations known by id from the start, as a router given a persisted query list knows them:
   * they land in the automatic persisted query cache, which answers a request carrying only the id.
   */
  persistedQueries?: { id: string; body: string }[];
  /** Send subgraph requests as automatic persisted queries (the hash first, the text on a miss), through this fetch. */
  subgraphApq?: { fetch: typeof fetch };
}

async function composeOrThrow(subgraphs: Subgraph[], options: GatewayOptions): Promise<string> {
  const composition = await compose(subgraphs, options);
  if (composition.errors) throw new Error(`Composition failed: ${composition.errors.map((e) => e.message).join("; ")}`);
  return composition.supergraphSdl;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly routerSecret: string | undefined, apq: GatewayOptions["subgraphApq"]) {
    super(apq ? { url, apq: true, fetcher: apq.fetch } : { url });
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>["willSendRequest"]>>[0]) {
    const headers = request.http!.headers;
    if (context.apiKey) headers.set("x-api-key", context.apiKey);
    if (context.correlationId) headers.set("x-correlation-id", context.correlationId);
    if (this.routerSecret) headers.set("router-authorization", this.routerSecret);
    // traceparent of this fetch's span, as a router sends it: the subgraph's spans join the gateway's trace
    propagation.inject(otelContext.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
  }
}

/** Apollo Server's APQ cache (keys prefixed `apq:`), holding the given operations from the start. */
function persistedQueryCache(operations: { id: string; body: string }[]): NonNullable<PersistedQueryOptions["cache"]> {
  const entries = new Map(operations.map((o) => [`apq:${o.id}`, o.body]));
  return {
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    delete: async (key) => entries.delete(key),
  };
}

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
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? (await composeOrThrow(subgraphs, options)),
    buildService: ({ url }) => new ForwardingDataSource(url!, options.routerSecret, options.subgraphApq),
  });
  const server = new ApolloServer<GatewayContext>({ gateway, persistedQueries: { cache: persistedQueryCache(options.persistedQueries ?? []) } });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async ({ req }) => ({
      apiKey: firstHeader(req.headers["x-api-key"]),
      correlationId: firstHeader(req.headers["x-correlation-id"]),
    }),
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

/** This subgraph over the store and the shipments peer, composed behind a gateway: what clients reach through a router. */
export async function startSupergraph(store: Store): Promise<{ gateway: RunningGateway; stop(): Promise<void> }> {
  const allocation = await startHttpServer(store);
  const peer = await startShipmentsSubgraph();
  const gateway = await startGateway([
    { name: "allocation", url: allocation.url },
    { name: "shipments", url: peer.url },
  ]);
  return {
    gateway,
    async stop() {
      await gateway.stop();
      await peer.stop();
      await allocation.stop();
    },
  };
}
