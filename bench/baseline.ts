// The reference point: the same schema, resolvers, context and store behind a bare node:http server
// with graphql-js, parse and validation cached per query string. No Apollo Server, no express.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { execute, parse, validate, type DocumentNode, type GraphQLError } from "graphql";
import type { Config } from "../src/config/config";
import { createContext } from "../src/graphql/context";
import { buildAllocationSchema } from "../src/graphql/schema";
import type { Store } from "../src/store";

interface Request {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startBaseline(store: Store, config: Config, port = 0): Promise<{ port: number; server: http.Server }> {
  const schema = await buildAllocationSchema();
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const compile = (query: string) => {
    let cached = documents.get(query);
    if (!cached) {
      const document = parse(query);
      const errors = validate(schema, document);
      cached = errors.length ? errors : document;
      documents.set(query, cached);
    }
    return cached;
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    void (async () => {
      const request = JSON.parse(await readBody(req)) as Request;
      const document = compile(request.query);
      if (Array.isArray(document)) return send(400, { errors: document });
      const contextValue = createContext(store, config, {
        apiKey: header(req.headers["x-api-key"]),
        correlationId: header(req.headers["x-correlation-id"]),
      });
      // as the subgraph's auth plugin: the key is looked up after validation
      await contextValue.authenticate();
      if (!contextValue.account) return send(401, { errors: [{ message: "A valid x-api-key header is required" }] });
      const result = await execute({
        schema,
        document: document as DocumentNode,
        variableValues: request.variables,
        operationName: request.operationName,
        contextValue,
      });
      send(200, result);
    })().catch((error: unknown) => send(500, { errors: [{ message: String(error) }] }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}
