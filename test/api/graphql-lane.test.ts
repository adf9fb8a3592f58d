// The GraphQL lane (src/http/graphql-lane.ts): POST /graphql with a JSON body is answered without
// express, and answered exactly as the express chain answers it; everything else is left to express.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApolloServer } from "@apollo/server";
import { logger } from "../../src/config/logger";
import { createApolloServer } from "../../src/graphql/apollo";
import { createContext, type Context } from "../../src/graphql/context";
import { graphqlLane, type GraphQLLaneOptions } from "../../src/http/graphql-lane";
import { routerSecretCheck } from "../../src/http/router-secret";
import { admission } from "../../src/observability/admission";
import { createMetrics } from "../../src/observability/metrics";
import { DEMO_KEY, testConfig } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";
import { CARRIER_SERVICE_QUERY } from "./api";
import { useHttpApi } from "./http";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A raw POST: with Content-Length (what the lane takes), or chunked without it (what it leaves to express). */
function post(url: string, body: string, headers: Record<string, string>, framing: "length" | "chunked"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers: framing === "length" ? { ...headers, "content-length": String(Buffer.byteLength(body)) } : headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    // two writes: Node frames a body without Content-Length as chunked
    request.write(body.slice(0, 1));
    request.end(body.slice(1));
  });
}

// outside production an error carries its stack trace, whose last frames name the lane or express' integration
const withoutStacks = (text: string) => text.replace(/"stacktrace":\[[^\]]*\],?/g, "");

describe("the lane answers as the express chain", () => {
  const api = useHttpApi();
  const JSON_TYPE = { "content-type": "application/json" };
  const CASES: Record<string, { body: string; headers?: Record<string, string> }> = {
    "a query": { body: JSON.stringify({ query: CARRIER_SERVICE_QUERY, variables: { reference: "FF_LINET-00001" } }) },
    "a query with an unknown reference": { body: JSON.stringify({ query: CARRIER_SERVICE_QUERY, variables: { reference: "NOPE" } }) },
    "truncated JSON": { body: '{"query":' },
    "a JSON string": { body: JSON.stringify("{ __typename }") },
    "a JSON array (batching is disabled)": { body: JSON.stringify([{ query: "{ __typename }" }]) },
    "a query with a syntax error": { body: JSON.stringify({ query: "{ shipment(" }) },
    "a variable of the wrong type": { body: JSON.stringify({ query: CARRIER_SERVICE_QUERY, variables: { reference: 5 } }) },
    "no API key": { body: JSON.stringify({ query: "{ serviceGroups { reference } }" }), headers: {} },
    "an unknown API key": { body: JSON.stringify({ query: "{ serviceGroups { reference } }" }), headers: { "x-api-key": "nope" } },
    "charset=utf-8 in the content type": {
      body: JSON.stringify({ query: "{ serviceGroups { reference } }" }),
      headers: { "content-type": "application/json; charset=utf-8", "x-api-key": DEMO_KEY },
    },
  };

  for (const [name, { body, headers = { "x-api-key": DEMO_KEY } }] of Object.entries(CASES)) {
    it(`${name}: the same status, content type, cache-control and body`, async () => {
      // Arrange: one correlation id, so that the two answers can be equal to the byte
      const sent = { ...JSON_TYPE, "x-correlation-id": `lane-${name.replace(/\W+/g, "-")}`, ...headers };

      // Act
      const lane = await post(api.server.url, body, sent, "length");
      const express = await post(api.server.url, body, sent, "chunked");

      // Assert
      expect(lane.status).toBe(express.status);
      expect(lane.headers["content-type"]).toBe(express.headers["content-type"]);
      expect(lane.headers["cache-control"]).toBe("no-store");
      expect(express.headers["cache-control"]).toBe("no-store");
      expect(withoutStacks(lane.text)).toBe(withoutStacks(express.text));
      expect(lane.status).toBeLessThan(500);
    });
  }
});

describe("what the lane takes, and what it leaves to express", () => {
  let store: DemoStore;
  let apollo: ApolloServer<Context>;
  let server: http.Server;
  let url: string;
  // per test: the lane's options, and what it answered
  let options: GraphQLLaneOptions;
  const config = testConfig();
  const BODY = JSON.stringify({ query: "{ serviceGroups { reference } }" });
  const HEADERS = { "content-type": "application/json", "x-api-key": DEMO_KEY };

  beforeAll(async () => {
    store = await openDemoPglite();
    apollo = await createApolloServer({ config, logger, metrics: createMetrics() });
    // what the lane leaves gets 418 from this stand-in for express
    server = http.createServer((req, res) => {
      if (graphqlLane(options)(req, res)) return;
      req.resume();
      res.writeHead(418).end("express");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await apollo.stop();
    await store.close();
  });

  const lane = (overrides: Partial<GraphQLLaneOptions> = {}): GraphQLLaneOptions => ({
    apollo,
    admission: admission(10, () => undefined),
    maxBodyBytes: 1_000,
    routerSecretAccepts: routerSecretCheck(undefined),
    context: async (req, correlationId) => createContext(store, config, { apiKey: req.headers["x-api-key"] as string, correlationId }),
    logger,
    ...overrides,
  });
  const takenBy = async (answer: Promise<Answer>) => ((await answer).text === "express" ? "express" : "lane");

  it("takes POST /graphql with a JSON body and a Content-Length, and answers it through Apollo Server", async () => {
    options = lane();
    const answer = await post(`${url}/graphql`, BODY, HEADERS, "length");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data.serviceGroups.length).toBeGreaterThan(0);
  });

  it("leaves a body without Content-Length, another path, an empty body and a body over the limit", async () => {
    options = lane();
    expect(await takenBy(post(`${url}/graphql`, BODY, HEADERS, "chunked"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql/`, BODY, HEADERS, "length"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql?x=1`, BODY, HEADERS, "length"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql`, "", HEADERS, "length"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql`, BODY.padEnd(1_001), HEADERS, "length"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql`, BODY.padEnd(1_000), HEADERS, "length"))).toBe("lane");
  });

  it("leaves other content types, charsets and compressed bodies (CSRF and body-parser rules stay express')", async () => {
    options = lane();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/graphql-response+json"]) {
      expect(await takenBy(post(`${url}/graphql`, BODY, { ...HEADERS, "content-type": type }, "length"))).toBe("express");
    }
    expect(await takenBy(post(`${url}/graphql`, BODY, { ...HEADERS, "content-encoding": "gzip" }, "length"))).toBe("express");
  });

  it("leaves a request without the router secret when one is configured, and takes one with it", async () => {
    options = lane({ routerSecretAccepts: routerSecretCheck("s3cret") });
    expect(await takenBy(post(`${url}/graphql`, BODY, HEADERS, "length"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql`, BODY, { ...HEADERS, "router-authorization": "wrong" }, "length"))).toBe("express");
    expect(await takenBy(post(`${url}/graphql`, BODY, { ...HEADERS, "router-authorization": "s3cret" }, "length"))).toBe("lane");
  });

  it("leaves a request when admission has no free slot (express refuses it with 503), and frees its slot when it answers", async () => {
    options = lane({ admission: admission(0, () => undefined) });
    expect(await takenBy(post(`${url}/graphql`, BODY, HEADERS, "length"))).toBe("express");
    options = lane({ admission: admission(1, () => undefined) });
    // one slot, three requests one after the other: each answer frees it for the next
    for (let i = 0; i < 3; i++) expect(await takenBy(post(`${url}/graphql`, BODY, HEADERS, "length"))).toBe("lane");
  });

  it("leaves other methods (GET queries and the playground page are express')", async () => {
    options = lane();
    const answer = await fetch(`${url}/graphql?query=${encodeURIComponent("{ __typename }")}`, { headers: { "x-api-key": DEMO_KEY } });
    expect(await answer.text()).toBe("express");
  });
});
