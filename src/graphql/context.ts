import type { Config } from "../config/config";
import { correlationIdFrom } from "../http/correlation";
import type { FieldOutcome } from "../observability/outcome.middleware";
import { rethrowUnavailable } from "../observability/unavailable";
import type { AccountRecord } from "../store/accounts";
import { cachedAccountByApiKey } from "../store/cache/cached-reads";
import type { Store } from "../store";
import type { Deadline } from "./limits/deadline";
import { createLoaders, type Loaders } from "./loaders";

// ids are serial from 1: loaders of a request without an account can find nothing
const NO_ACCOUNT = 0;

export interface RequestHeaders {
  apiKey: string | undefined;
  correlationId: string | undefined;
}

/**
 * One per request. The account is looked up once, by the auth plugin after the operation is valid
 * (a rejected request runs no SQL); the loaders are built once, after that, for that account.
 * A class: Apollo shallow-copies the context, and getters must survive the copy on the prototype.
 */
export class Context {
  readonly correlationId: string;
  private authenticated: Promise<AccountRecord | null> | undefined;
  private caller: AccountRecord | null = null;
  private built: Loaders | undefined;
  /** Set while a query executes (graphql/limits): once it expires, no further field resolves. */
  deadline: Deadline | undefined;
  /** Set by the logging plugin for each request: what its fields with an outcome answered (observability/outcome.middleware). */
  outcomes: FieldOutcome[] | undefined;

  constructor(
    readonly store: Store,
    readonly config: Config,
    // kept out of anything that logs the context by being a function's closure, not a field
    private readonly lookUpCaller: () => Promise<AccountRecord | null>,
    correlationId: string | undefined,
  ) {
    this.correlationId = correlationIdFrom(correlationId);
  }

  /** The caller; null before authentication and for operations that need no key (`_service`). */
  get account(): AccountRecord | null {
    return this.caller;
  }

  /** The account every read and write is scoped to (an id no record has when account is null). */
  get accountId(): number {
    return this.caller?.id ?? NO_ACCOUNT;
  }

  get loaders(): Loaders {
    // a loader built before authentication would read as no account for the rest of the request
    if (!this.authenticated) throw new Error("Loaders are available after authentication");
    return (this.built ??= createLoaders(this.store.db, this.store.caches, this.accountId));
  }

  /** Looks the x-api-key up (once) and scopes the request to its account. */
  authenticate(): Promise<AccountRecord | null> {
    this.authenticated ??= this.lookUpCaller().then((account) => (this.caller = account));
    return this.authenticated;
  }
}

export function createContext(store: Store, config: Config, headers: RequestHeaders): Context {
  const apiKey = headers.apiKey;
  // a store outage is a 503 the client can retry, not a 500
  const lookUp = async () => (apiKey ? cachedAccountByApiKey(store.db, store.caches, apiKey).catch(rethrowUnavailable) : null);
  return new Context(store, config, lookUp, headers.correlationId);
}
