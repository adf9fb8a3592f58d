// What went wrong with a request, in the terms the screens act on (retry, sign in again, report).
import { CombinedGraphQLErrors, ServerError, type ErrorLike } from "@apollo/client";

export type { ErrorLike };

export type Problem =
  /** the request never got an answer: no network, gateway down */
  | { kind: "offline" }
  /** the API key is missing or unknown */
  | { kind: "unauthenticated" }
  /** the service said to retry shortly (SERVICE_UNAVAILABLE, 502-504) */
  | { kind: "unavailable" }
  /** anything else: a bug or bad input; the message helps support */
  | { kind: "unexpected"; message: string };

const RETRY_STATUSES = new Set([502, 503, 504]);

export function problemOf(error: ErrorLike): Problem {
  if (CombinedGraphQLErrors.is(error)) {
    const codes = error.errors.map((e) => e.extensions?.["code"]);
    if (codes.includes("UNAUTHENTICATED")) return { kind: "unauthenticated" };
    if (codes.includes("SERVICE_UNAVAILABLE")) return { kind: "unavailable" };
    return { kind: "unexpected", message: error.errors.map((e) => e.message).join("; ") };
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 401) return { kind: "unauthenticated" };
    if (RETRY_STATUSES.has(error.statusCode)) return { kind: "unavailable" };
    return { kind: "unexpected", message: `HTTP ${error.statusCode}` };
  }
  // fetch rejects with a TypeError when nothing answers
  return error.name === "TypeError" ? { kind: "offline" } : { kind: "unexpected", message: error.message };
}
