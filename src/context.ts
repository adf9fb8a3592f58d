import type { Config } from "./config";
import { correlationIdFrom } from "./correlation";
import { createLoaders, type Loaders } from "./loaders";
import { rethrowUnavailable } from "./observability/unavailable";
import { findAccountByApiKey } from "./store/accounts";
import type { AccountRecord } from "./store/records";
import type { Store } from "./store";

export interface Context {
  /**
   * Set by the auth plugin once the operation is valid (a rejected request runs no SQL); null only
   * for operations that need no key (`_service`), the plugin refuses the rest.
   */
  account: AccountRecord | null;
  /** The account every read and write is scoped to (an id no record has when account is null). */
  accountId: number;
  correlationId: string;
  loaders: Loaders;
  store: Store;
  config: Config;
  /** Looks the x-api-key up (the key stays in this closure, out of anything that logs the context). */
  findAccount(): Promise<AccountRecord | null>;
}

// ids are serial from 1: loaders of a request without an account can find nothing
const NO_ACCOUNT = 0;

export interface RequestHeaders {
  apiKey: string | undefined;
  /** The request's (see correlate()); an unsafe or missing one is replaced by a new UUID. */
  correlationId: string | undefined;
}

export async function createContext(store: Store, config: Config, headers: RequestHeaders): Promise<Context> {
  const apiKey = headers.apiKey;
  return {
    account: null,
    accountId: NO_ACCOUNT,
    correlationId: correlationIdFrom(headers.correlationId),
    loaders: createLoaders(store.db, NO_ACCOUNT),
    store,
    config,
    // a store outage is a 503 the client can retry, not a 500
    findAccount: async () => (apiKey ? findAccountByApiKey(store.db, apiKey).catch(rethrowUnavailable) : null),
  };
}

/** Scopes the context to the caller's account; the auth plugin calls it after validation. */
export async function authenticate(ctx: Context): Promise<void> {
  const account = await ctx.findAccount();
  if (!account) return;
  ctx.account = account;
  ctx.accountId = account.id;
  ctx.loaders = createLoaders(ctx.store.db, account.id);
}
