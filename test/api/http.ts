// Real-HTTP fixture for the API tests: the server over a fresh demo store, plus raw POSTs.
import { afterAll, beforeAll } from "vitest";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

export interface RawResponse {
  status: number;
  contentType: string | null;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: any;
}

export interface HttpApi {
  store: DemoStore;
  server: HttpTestServer;
  /** POSTs a body exactly as given (no JSON encoding), with content-type application/json unless overridden. */
  postRaw(body: string, headers?: Record<string, string>): Promise<RawResponse>;
}

/** One server and store for the enclosing describe or file. */
export function useHttpApi(): HttpApi {
  const api = {
    async postRaw(body: string, headers: Record<string, string> = {}) {
      const response = await fetch(api.server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, contentType: response.headers.get("content-type"), text, json };
    },
  } as HttpApi;
  beforeAll(async () => {
    api.store = await openDemoPglite();
    api.server = await startHttpServer(api.store);
  });
  afterAll(async () => {
    await api.server?.stop();
    await api.store?.close();
  });
  return api;
}
