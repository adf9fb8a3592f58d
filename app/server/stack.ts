// The app's whole back end in one process: the allocation subgraph and the stand-in shipments
// subgraph on loopback ports, composed by @apollo/gateway, which serves /graphql next to the built app.
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../../src/config/config";
import { startServer } from "../../src/http/server";
import type { Store } from "../../src/store";
import { createGatewayServer, gatewayContext } from "./gateway";
import { startShipmentsSubgraph } from "./shipments-subgraph";

export interface AppStackOptions {
  /** Where the app and /graphql are served; 0 picks a free port. */
  port: number;
  /** The app's production build (app/dist). */
  staticDir: string;
}

export interface AppStack {
  /** The app's address on this machine. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startAppStack(store: Store, options: AppStackOptions): Promise<AppStack> {
  // the subgraph answers only its gateway, as behind a production router (README, "The router secret")
  const routerSecret = randomBytes(24).toString("base64url");
  const allocation = await startServer(store, { ...loadConfig(), routerSecret, playground: false }, 0);
  const shipments = await startShipmentsSubgraph();
  const gateway = await createGatewayServer(
    [
      { name: "allocation", url: allocation.url },
      { name: "shipments", url: shipments.url },
    ],
    { routerSecret },
  );
  await gateway.start();

  const app = express();
  // file names under assets/ carry a content hash: a phone may keep them for good
  app.use("/assets", express.static(`${options.staticDir}/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(options.staticDir, { index: "index.html" }));
  app.use("/graphql", express.json(), expressMiddleware(gateway, { context: async ({ req }) => gatewayContext(req.headers) }));
  const httpServer = http.createServer(app);
  await new Promise<void>((resolve) => httpServer.listen(options.port, resolve));
  const port = (httpServer.address() as AddressInfo).port;

  return {
    url: `http://localhost:${port}/`,
    port,
    async stop() {
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await gateway.stop();
      await shipments.stop();
      await allocation.stop();
    },
  };
}
