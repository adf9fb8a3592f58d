// A gateway in front of the subgraph (for information: what a client behind a router sees):
//   node dist/bench/gateway.js <subgraph url>   (IPC: "ready" {port})
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";

interface GatewayContext {
  apiKey?: string;
}

async function main() {
  // the gateway otherwise reports usage to Apollo and probes cloud metadata addresses: stay on loopback
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  process.env.METADATA_SERVER_DETECTION = "none";
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs: [{ name: "allocation", url: process.argv[2] }] }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          if (context.apiKey) request.http?.headers.set("x-api-key", context.apiKey);
        },
      }),
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async ({ req }) => ({ apiKey: req.headers["x-api-key"] as string | undefined }),
  });
  process.on("message", (message: string) => {
    if (message === "exit") void server.stop().finally(() => process.exit(0));
    // the gateway runs no SQL of its own
    if (message === "stats") process.send?.({ stats: {} });
  });
  process.send?.({ ready: Number(new URL(url).port) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
