// Production defaults over real HTTP: no introspection (but _service), masked internal errors,
// CSRF prevention, no wildcard CORS, answers that name no framework.
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config";
import { startServer } from "../../src/http/server";
import { DEMO_KEY, startHttpServer, testConfig, type GraphQLResponse, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const INTROSPECTION = "query { __schema { queryType { name } } }";
// what a refusal must not say: the framework, its options, its headers
const FRAMEWORK = /apollo|express|introspection: true/i;

let store: DemoStore;
beforeAll(async () => {
  store = await openDemoPglite();
});
afterAll(async () => {
  await store?.dropDatabase();
});

/** A production server for the enclosing describe. */
function useProductionServer(): () => HttpTestServer {
  let server: HttpTestServer;
  beforeAll(async () => {
    server = await startHttpServer(store, { production: true });
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => server;
}

describe("production configuration", () => {
  it("turns introspection off in production unless INTROSPECTION=true, and accepts only explicit CORS origins", () => {
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ production: true, introspection: undefined, corsOrigins: [] });
    expect(loadConfig({ NODE_ENV: "production", INTROSPECTION: "true" }).introspection).toBe(true);
    expect(loadConfig({ CORS_ORIGINS: "https://app.example.com, https://ops.example.com" }).corsOrigins).toEqual([
      "https://app.example.com",
      "https://ops.example.com",
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: "*" })).toThrow(/CORS_ORIGINS/);
  });
});

describe("introspection in production", () => {
  let production: HttpTestServer;
  let withIntrospection: HttpTestServer;

  beforeAll(async () => {
    production = await startHttpServer(store, { production: true });
    withIntrospection = await startHttpServer(store, { production: true, introspection: true });
  });
  afterAll(async () => {
    await production?.stop();
    await withIntrospection?.stop();
  });

  it("is refused by default", async () => {
    const response = await production.post(INTROSPECTION);

    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(response.body.errors?.[0]?.message).toMatch(/introspection has been disabled/i);
    expect(response.body.errors?.[0]?.message).not.toMatch(FRAMEWORK);
  });

  it("is allowed with INTROSPECTION=true", async () => {
    const response = await withIntrospection.post(INTROSPECTION);

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("still serves _service, without a key, for composition", async () => {
    const response = await production.post<{ _service: { sdl: string } }>("query { _service { sdl } }", undefined, {});

    expect(response.status).toBe(200);
    expect(response.body.data?._service.sdl).toContain("allocateShipmentWithVirtualService");
  });
});

describe("internal errors in production", () => {
  it("answer 'Internal server error' with the correlation id, and log the detail with that id", async () => {
    const broken = await openDemoPglite();
    const lines: string[] = [];
    const logger = pino({ level: "error" }, new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
    const server = await startServer(broken, testConfig({ production: true }), 0, { logger });
    await broken.close();
    try {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": DEMO_KEY, "x-correlation-id": "corr-broken" },
        body: JSON.stringify({ query: "{ serviceGroups { reference } }" }),
      });
      const text = await response.text();

      expect(response.status).toBe(500);
      expect(JSON.parse(text).errors).toEqual([
        { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", correlationId: "corr-broken" } },
      ]);
      expect(text).not.toMatch(/stacktrace| {4}at |PGlite/i);
      const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "internal error");
      expect(logged).toMatchObject({ correlationId: "corr-broken", err: { stack: expect.stringContaining("    at ") } });
    } finally {
      await server.stop();
    }
  });
});

describe("CSRF prevention in production", () => {
  const server = useProductionServer();

  it("refuses a simple POST (text/plain) with 400", async () => {
    const response = await fetch(server().url, {
      method: "POST",
      headers: { "content-type": "text/plain", "x-api-key": DEMO_KEY },
      body: JSON.stringify({ query: "{ serviceGroups { reference } }" }),
    });

    expect(response.status).toBe(400);
    const message = ((await response.json()) as GraphQLResponse["body"]).errors?.[0]?.message;
    expect(message).toMatch(/cross-site request forgery/);
    expect(message).not.toMatch(FRAMEWORK);
  });

  it("refuses a simple GET with 400, and serves it with a preflight-forcing header", async () => {
    const url = `${server().url}?query=${encodeURIComponent("{ serviceGroups { reference } }")}`;

    const simple = await fetch(url, { headers: { "x-api-key": DEMO_KEY } });
    const preflighted = await fetch(url, { headers: { "x-api-key": DEMO_KEY, "apollo-require-preflight": "true" } });

    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/cross-site request forgery/);
    expect(preflighted.status).toBe(200);
  });
});

describe("CORS", () => {
  const APP = "https://app.example.com";
  let closed: HttpTestServer;
  let allowList: HttpTestServer;

  beforeAll(async () => {
    closed = await startHttpServer(store, { production: true });
    allowList = await startHttpServer(store, { production: true, corsOrigins: [APP] });
  });
  afterAll(async () => {
    await closed?.stop();
    await allowList?.stop();
  });

  const preflight = (server: HttpTestServer, origin: string) =>
    fetch(server.url, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-api-key" },
    });

  it("sends no CORS headers by default", async () => {
    const response = await preflight(closed, APP);

    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly the listed origins, never *", async () => {
    const listed = await preflight(allowList, APP);
    const other = await preflight(allowList, "https://evil.example.com");

    expect(listed.headers.get("access-control-allow-origin")).toBe(APP);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("answers that name no framework", () => {
  const server = useProductionServer();
  const origin = () => server().url.replace(/\/graphql$/, "");

  it("send no X-Powered-By header, on GraphQL answers, refusals, /health and unknown paths", async () => {
    const responses = await Promise.all([
      fetch(server().url, { method: "POST", headers: { "content-type": "application/json", "x-api-key": DEMO_KEY }, body: '{"query":"{ __typename }"}' }),
      fetch(server().url, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }),
      fetch(`${origin()}/health`),
      fetch(`${origin()}/no-such-path`),
    ]);

    expect(responses.map((r) => r.status)).toEqual([200, 400, 200, 404]);
    for (const response of responses) expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("mark GraphQL answers as never to be cached, without an ETag (nothing would ever be revalidated)", async () => {
    const response = await fetch(server().url, { method: "POST", headers: { "content-type": "application/json", "x-api-key": DEMO_KEY }, body: '{"query":"{ __typename }"}' });

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("etag")).toBeNull();
  });

  it("answer an unknown path with a JSON 404, not the framework's HTML page", async () => {
    const response = await fetch(`${origin()}/no-such-path`);

    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await response.json()) as GraphQLResponse["body"]).errors?.[0]).toMatchObject({ message: "Not found", extensions: { code: "NOT_FOUND" } });
  });

  it("answer a method other than GET and POST with 405 and a plain message", async () => {
    const response = await fetch(server().url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });

    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
    const message = ((await response.json()) as GraphQLResponse["body"]).errors?.[0]?.message;
    expect(message).toMatch(/GET and POST/);
    expect(message).not.toMatch(FRAMEWORK);
  });
});
