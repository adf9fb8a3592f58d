import { GraphQLError } from "graphql";

// node socket errors, and what pg says when it cannot reach or loses the server, or gives up waiting for it
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND"]);
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i;
// statement_timeout cancelled the statement; idle_in_transaction_session_timeout ended the session
const TIMEOUT_CODES = new Set(["57014", "25P03"]);

/**
 * True when an error means the store cannot be reached or did not answer in time (not that a
 * statement is wrong): SQLSTATE class 08 (connection exception), 57P01-03 (server shutting down),
 * the server's timeouts, socket errors, pg's own timeouts.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || TIMEOUT_CODES.has(code) || code.startsWith("08") || /^57P0[1-3]$/.test(code))) {
    return true;
  }
  return PG_MESSAGES.test(error.message);
}

export const SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";

/** Seconds a client is asked to wait before it retries (the Retry-After header of every 503). */
export const RETRY_AFTER_SECONDS = 1;

/** What a client gets during a store outage: 503, a stable code, nothing about the infrastructure. */
export function serviceUnavailableError(): GraphQLError {
  return new GraphQLError("The service is temporarily unavailable: retry shortly", {
    extensions: {
      code: SERVICE_UNAVAILABLE,
      http: { status: 503, headers: new Map([["retry-after", String(RETRY_AFTER_SECONDS)]]) },
    },
  });
}

/** Rethrows a store outage as the client-facing 503 error, anything else as it is. */
export function rethrowUnavailable(error: unknown): never {
  throw isStoreUnavailable(error) ? serviceUnavailableError() : error;
}
