import { randomUUID } from "node:crypto";
import type { Config } from "./config";
import { createLoaders, type Loaders } from "./loaders";
import { findAccountByApiKey } from "./store/accounts";
import type { AccountRecord } from "./store/records";
import type { Store } from "./store";

export interface Context {
  /** Null only for operations that need no key (`_service`); the auth plugin refuses the rest. */
  account: AccountRecord | null;
  /** The account every read and write is scoped to (an id no record has when account is null). */
  accountId: number;
  correlationId: string;
  loaders: Loaders;
  store: Store;
  config: Config;
}

// ids are serial from 1: loaders of a request without an account can find nothing
const NO_ACCOUNT = 0;
const MAX_CORRELATION_ID = 200;

export interface RequestHeaders {
  apiKey: string | undefined;
  correlationId: string | undefined;
}

export async function createContext(store: Store, config: Config, headers: RequestHeaders): Promise<Context> {
  const account = headers.apiKey ? await findAccountByApiKey(store.db, headers.apiKey) : null;
  const accountId = account?.id ?? NO_ACCOUNT;
  return {
    account,
    accountId,
    correlationId: sanitiseCorrelationId(headers.correlationId) ?? randomUUID(),
    loaders: createLoaders(store.db, accountId),
    store,
    config,
  };
}

// echoed into responses and logs: printable ASCII of a sane length, else a fresh id
function sanitiseCorrelationId(value: string | undefined): string | undefined {
  return value && value.length <= MAX_CORRELATION_ID && /^[\x21-\x7e]+$/.test(value) ? value : undefined;
}
