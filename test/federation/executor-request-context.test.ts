import { ApolloServer, HeaderMap, type ApolloServerOptionsWithGateway } from "@apollo/server";
import { buildSchema } from "graphql";
import { afterAll, describe, expect, it } from "vitest";

type Gateway = ApolloServerOptionsWithGateway<object>["gateway"];
type Executor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;
type ExecutorRequest = Parameters<Executor>[0];

// patches/@apollo+server+5.5.1.patch: Apollo Server runs our executor (src/graphql/entities.executor.ts) in
// gateway mode and hands it a request context whose response.http was an object literal with a getter and a
// setter, made per request. V8 did not let what those accessors reached die young: every object of the request
// outlived the young generation, until the next full collection (docs/benchmarks-journal.md, "Session 12": a sixth of the
// subgraph's CPU per allocation under load)
describe("the request context Apollo Server hands our executor (patches/)", () => {
  let seen: ExecutorRequest | undefined;
  const gateway: Gateway = {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: buildSchema("type Query { hello: String }"), coreSupergraphSdl: "" });
      return () => undefined;
    },
    load: async () => ({
      executor: async (request) => {
        seen = request;
        const http = request.response?.http;
        if (!http) throw new Error("no response to set the status of");
        http.status = 203;
        return { data: { hello: String(http.status) } };
      },
    }),
    stop: async () => undefined,
  };
  const apollo = new ApolloServer({ gateway });
  afterAll(() => apollo.stop());

  it("reads and writes the answer's status through to Apollo's own, from an accessor of the prototype", async () => {
    // Arrange
    await apollo.start();
    const headers = new HeaderMap([["content-type", "application/json"]]);

    // Act
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: "{ hello }" } },
      context: async () => ({}),
    });

    // Assert: the status set by the executor is the HTTP answer's, and read back through the same object
    expect(response.status).toBe(203);
    expect(response.body.kind === "complete" && JSON.parse(response.body.string)).toEqual({ data: { hello: "203" } });
    // no accessor of its own: one made per request by a literal is what kept the request's objects alive
    const http = seen?.response?.http;
    expect(http).toBeDefined();
    expect(Object.getOwnPropertyDescriptor(http, "status")).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(http) as object, "status")).toHaveProperty("set");
  });
});
