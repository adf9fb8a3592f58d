// A real @apollo/gateway in front of real subgraphs, composed with @apollo/composition from each
// subgraph's `_service { sdl }` (what a router does at start-up). Used by `npm run app` and the tests.
import { composeServices } from "@apollo/composition";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { context as otelContext, propagation } from "@opentelemetry/api";
import { ApolloServer } from "@apollo/server";
import gql from "graphql-tag";
import type { IncomingHttpHeaders } from "node:http";

export interface Subgraph {
  name: string;
  url: string;
}

/** What the gateway passes on to every subgraph request. */
export interface GatewayContext {
  apiKey: string | undefined;
  correlationId: string | undefined;
}

export interface GatewayOptions {
  /** Sent as router-authorization to every subgraph, as a router configured with the secret does. */
  routerSecret?: string;
  /** Use this supergraph instead of composing one from the subgraphs. */
  supergraphSdl?: string;
}

export async function fetchSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: "{ _service { sdl } }" }),
  });
  const body = (await response.json()) as { data?: { _service: { sdl: string } } };
  if (!body.data) throw new Error(`No SDL from ${url} (HTTP ${response.status}): ${JSON.stringify(body)}`);
  return body.data._service.sdl;
}

/** Composes the subgraphs' SDL; `errors` is undefined when composition succeeds. */
export async function compose(subgraphs: Subgraph[], options: GatewayOptions = {}) {
  const headers: Record<string, string> = options.routerSecret ? { "router-authorization": options.routerSecret } : {};
  const services = await Promise.all(
    subgraphs.map(async ({ name, url }) => ({ name, url, typeDefs: gql(await fetchSdl(url, headers)) })),
  );
  return composeServices(services);
}

async function composeOrThrow(subgraphs: Subgraph[], options: GatewayOptions): Promise<string> {
  const composition = await compose(subgraphs, options);
  if (composition.errors) throw new Error(`Composition failed: ${composition.errors.map((e) => e.message).join("; ")}`);
  return composition.supergraphSdl;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly routerSecret: string | undefined) {
    super({ url });
  }

  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>["willSendRequest"]>>[0]) {
    const headers = request.http!.headers;
    const { apiKey, correlationId } = context as GatewayContext;
    if (apiKey) headers.set("x-api-key", apiKey);
    if (correlationId) headers.set("x-correlation-id", correlationId);
    if (this.routerSecret) headers.set("router-authorization", this.routerSecret);
    // traceparent of this fetch's span, as a router sends it: the subgraph's spans join the gateway's trace
    propagation.inject(otelContext.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
  }
}

/** An Apollo Server over a gateway that forwards the caller's headers to the subgraphs; not started yet. */
export async function createGatewayServer(subgraphs: Subgraph[], options: GatewayOptions = {}): Promise<ApolloServer<GatewayContext>> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? (await composeOrThrow(subgraphs, options)),
    buildService: ({ url }) => new ForwardingDataSource(url!, options.routerSecret),
  });
  return new ApolloServer<GatewayContext>({ gateway });
}

/** The context of a gateway request: the headers it forwards. */
export function gatewayContext(headers: IncomingHttpHeaders): GatewayContext {
  return { apiKey: firstHeader(headers["x-api-key"]), correlationId: firstHeader(headers["x-correlation-id"]) };
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
