// GET /graphql from a browser serves GraphQL Playground with every asset from the subgraph itself;
// other GETs still reach Apollo; production serves it only when PLAYGROUND=true.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

const get = (url: string, accept: string) => fetch(url, { headers: { accept } });

/** Every src/href in the page: the assets a browser would request. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
}

describe("GraphQL Playground at GET /graphql", () => {
  let store: DemoStore;
  let server: HttpTestServer;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store, { playground: true });
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("serves the page to a browser, with the documented example and the demo key in its tab", async () => {
    const response = await get(server.url, HTML);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain("GraphQLPlayground.init");
    expect(html).toContain("allocateShipmentWithVirtualService");
    expect(html).toContain("sp_00802615769404976542730318118912");
    expect(html).toContain("FF_LINET-00001");
    expect(html).toContain("demo-api-key");
  });

  it("links only assets of the subgraph itself, and serves each of them", async () => {
    const html = await (await get(server.url, HTML)).text();
    const assets = assetUrls(html);

    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/playground-assets\//);
      const response = await fetch(new URL(asset, server.url));
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it("leaves a GET that is not a browser's to Apollo", async () => {
    const response = await fetch(server.url, { headers: { accept: "application/json", "apollo-require-preflight": "true" } });
    const body = (await response.json()) as { errors?: { message: string }[] };

    expect(response.status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/query/i);
  });

  it("leaves a GET with ?query= to Apollo", async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { accept: HTML, "apollo-require-preflight": "true", "x-api-key": "demo-api-key" },
    });

    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe("GraphQL Playground: when it is served", () => {
  let store: DemoStore;

  beforeAll(async () => {
    store = await openDemoPglite();
  });

  afterAll(async () => {
    await store?.close();
  });

  it("is on by default outside production and off by default in production", () => {
    expect(loadConfig({}).playground).toBe(true);
    expect(loadConfig({ NODE_ENV: "production" }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", PLAYGROUND: "true" }).playground).toBe(true);
  });

  it("is not served when off: no page, no assets", async () => {
    const server = await startHttpServer(store, loadConfig({ NODE_ENV: "production" }));
    try {
      const page = await get(server.url, HTML);
      const asset = await fetch(new URL("/playground-assets/@apollographql/graphql-playground-react/build/favicon.png", server.url));

      expect(page.headers.get("content-type")).not.toMatch(/^text\/html/);
      expect(await page.text()).not.toContain("GraphQLPlayground");
      expect(asset.status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it("is refused with 401, like all of /graphql, when ROUTER_SECRET is set", async () => {
    const server = await startHttpServer(store, { playground: true, routerSecret: "a-router-secret-of-32-characters" });
    try {
      const page = await get(server.url, HTML);

      expect(page.status).toBe(401);
      expect(await page.text()).not.toContain("GraphQLPlayground");
    } finally {
      await server.stop();
    }
  });

  it("is served in production when PLAYGROUND=true", async () => {
    const server = await startHttpServer(store, loadConfig({ NODE_ENV: "production", PLAYGROUND: "true" }));
    try {
      const html = await (await get(server.url, HTML)).text();

      expect(html).toContain("GraphQLPlayground.init");
    } finally {
      await server.stop();
    }
  });
});
