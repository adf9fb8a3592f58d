// Every error answer carries the request's correlation id, also those refused before GraphQL runs
// (router secret, CSRF, body parsing, batching, a body Apollo cannot read, a wrong method or path).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/graphql/limits/limits";
import { UUID } from "../api/api";
import { DEMO_KEY, startHttpServer, type GraphQLResponse, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { startObservedServer } from "./harness";

const SECRET = "s3cret-shared-with-the-router";
const JSON_TYPE = "application/json";

interface Refusal {
  status: number;
  method?: string;
  path?: string;
  contentType?: string;
  body?: string;
  /** else the router secret is sent */
  withoutSecret?: true;
}

const REFUSALS: Record<string, Refusal> = {
  "the router secret's 401": { status: 401, body: '{"query":"{ __typename }"}', withoutSecret: true },
  "a CSRF refusal": { status: 400, contentType: "text/plain", body: '{"query":"{ __typename }"}' },
  "malformed JSON": { status: 400, body: '{"query":' },
  "a body over the size limit (413)": { status: 413, body: JSON.stringify({ query: "{ __typename }", pad: "x".repeat(LIMITS.maxBodyBytes) }) },
  "an unsupported charset (415)": { status: 415, contentType: `${JSON_TYPE}; charset=latin-9`, body: "{}" },
  "a batch": { status: 400, body: JSON.stringify([{ query: "{ __typename }" }]) },
  "a body that is not a GraphQL request": { status: 400, body: '{"query":1}' },
  "a GET whose variables are not JSON": { status: 400, method: "GET", path: "/graphql?query=%7B__typename%7D&variables=nope" },
  "a GraphQL syntax error": { status: 400, body: '{"query":"{"}' },
  "a method other than GET and POST": { status: 405, method: "PUT", body: "{}" },
  "an unknown path": { status: 404, method: "GET", path: "/no-such-path" },
};

describe("correlation ids on every error answer", () => {
  let store: DemoStore;
  let server: HttpTestServer;

  beforeAll(async () => {
    store = await openDemoPglite();
    server = await startHttpServer(store, { production: true, routerSecret: SECRET });
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  async function send(refusal: Refusal, correlationId?: string) {
    const headers: Record<string, string> = { "content-type": refusal.contentType ?? JSON_TYPE, "x-api-key": DEMO_KEY };
    if (!refusal.withoutSecret) headers["router-authorization"] = SECRET;
    if (correlationId) headers["x-correlation-id"] = correlationId;
    const url = refusal.path ? server.url.replace(/\/graphql$/, refusal.path) : server.url;
    const response = await fetch(url, { method: refusal.method ?? "POST", headers, body: refusal.body });
    return { status: response.status, body: (await response.json()) as GraphQLResponse["body"] };
  }

  it.each(Object.entries(REFUSALS))("echoes x-correlation-id in %s", async (_name, refusal) => {
    const response = await send(refusal, "corr-refused");

    expect(response.status).toBe(refusal.status);
    expect(response.body.errors?.length).toBeGreaterThan(0);
    for (const error of response.body.errors ?? []) expect(error.extensions?.correlationId).toBe("corr-refused");
  });

  it.each(Object.entries(REFUSALS))("gives %s a new UUID without x-correlation-id", async (_name, refusal) => {
    const response = await send(refusal);

    expect(response.status).toBe(refusal.status);
    for (const error of response.body.errors ?? []) expect(error.extensions?.correlationId).toMatch(UUID);
  });

});

describe("one correlation id per request", () => {
  it("is the same in the error answer and in the request's log line, when the client sent none", async () => {
    const store = await openDemoPglite();
    const server = await startObservedServer(store);
    try {
      const response = await server.post("{ serviceGroups { reference } }", undefined, { "x-api-key": "not-a-key" });

      const correlationId = response.body.errors?.[0]?.extensions?.correlationId;
      expect(correlationId).toMatch(UUID);
      expect(server.logs.filter((line) => line.msg === "graphql request").map((line) => line.correlationId)).toEqual([correlationId]);
    } finally {
      await server.stop();
      await store.close();
    }
  });
});
