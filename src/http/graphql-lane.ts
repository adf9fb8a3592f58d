// POST /graphql with a JSON body, what the router and the clients send, answered without express: the
// same checks, body limit, admission and Apollo Server as the express chain in server.ts, at about half
// its CPU per request (docs/benchmarks-journal.md, "Session 8"). What it does not take goes on to express untouched:
// another method or path, another content type or charset, a compressed body or one without
// Content-Length, an empty or oversized body, a missing router secret, no free admission slot, and
// every request when CORS or tracing is configured (their middlewares live in the express chain).
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type http from "node:http";
import type { Logger } from "pino";
import { INTERNAL, INTERNAL_ERROR_MESSAGE } from "../graphql/errors";
import type { Context } from "../graphql/context";
import type { Admission } from "../observability/admission";
import { correlationIdFrom, withCorrelationId } from "./correlation";
import { errorAnswer, NOT_JSON_MESSAGE } from "./errors";
import { ROUTER_SECRET_HEADER } from "./router-secret";

export interface GraphQLLaneOptions {
  apollo: ApolloServer<Context>;
  admission: Admission;
  maxBodyBytes: number;
  routerSecretAccepts: (presented: string | string[] | undefined) => boolean;
  context: (req: http.IncomingMessage, correlationId: string) => Promise<Context>;
  logger: Logger;
}

// body-parser's "strict" JSON: an object or an array (a bare string or number is refused as not JSON)
const STRICT_JSON = /^[ \t\n\r]*[{[]/;

/** Returns a handler that answers the request and returns true, or returns false having touched nothing. */
export function graphqlLane(options: GraphQLLaneOptions): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (req, res) => {
    if (!takes(req, options)) return false;
    if (!options.admission.enter(res)) return false;
    const correlationId = correlationIdFrom(req.headers["x-correlation-id"]);
    // the express chain sets it before Apollo Server: account data is never cached
    res.setHeader("cache-control", "no-store");
    const chunks: Buffer[] = [];
    // a client gone before the end of its body gets no answer; its slot is freed when res closes
    req.on("error", () => undefined);
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      answer(Buffer.concat(chunks).toString("utf8"), req, res, correlationId, options).catch((error: unknown) => {
        options.logger.error({ correlationId, err: error }, "unhandled error");
        if (!res.headersSent) send(res, 500, JSON.stringify(errorAnswer(INTERNAL, INTERNAL_ERROR_MESSAGE, correlationId)));
      });
    });
    return true;
  };
}

function takes(req: http.IncomingMessage, { maxBodyBytes, routerSecretAccepts }: GraphQLLaneOptions): boolean {
  if (req.method !== "POST" || req.url !== "/graphql") return false;
  const type = req.headers["content-type"]?.toLowerCase().replace(/\s+/g, "");
  if (type !== "application/json" && type !== "application/json;charset=utf-8") return false;
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") return false;
  const length = Number(req.headers["content-length"]);
  if (!(length > 0 && length <= maxBodyBytes)) return false;
  return routerSecretAccepts(req.headers[ROUTER_SECRET_HEADER]);
}

async function answer(text: string, req: http.IncomingMessage, res: http.ServerResponse, correlationId: string, options: GraphQLLaneOptions): Promise<void> {
  const body = parseStrictJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (body === undefined) return send(res, 400, JSON.stringify(errorAnswer("BAD_REQUEST", NOT_JSON_MESSAGE, correlationId)));
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: "POST", headers, search: "", body },
    context: () => options.context(req, correlationId),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  const status = response.status ?? 200;
  if (response.body.kind === "complete") {
    // Apollo's refusals before a request context exists carry no correlation id yet (as correlateApolloRefusals)
    return send(res, status, status >= 400 ? withCorrelationId(response.body.string, correlationId) : response.body.string);
  }
  res.statusCode = status;
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function parseStrictJson(text: string): unknown {
  if (!STRICT_JSON.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  if (!res.hasHeader("content-type")) res.setHeader("content-type", "application/json; charset=utf-8");
  // encoded once (a string is measured, then encoded again, and node prepends the head to it: a copy per answer)
  const bytes = Buffer.from(body, "utf8");
  res.setHeader("content-length", bytes.length);
  res.end(bytes);
}
