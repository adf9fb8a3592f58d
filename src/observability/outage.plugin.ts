import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../graphql/context";
import { isStoreUnavailable, serviceUnavailableError } from "./unavailable";

/**
 * A resolver that lost the store mid-request answers like the context does during an outage:
 * HTTP 503 and SERVICE_UNAVAILABLE, not a driver message or a masked 500.
 */
export function outagePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ errors, response }) {
          const body = response.body;
          if (!errors?.length || body.kind !== "single" || !body.singleResult.errors) return;
          const unavailable = errors.map((e) => isStoreUnavailable(e.originalError));
          if (!unavailable.includes(true)) return;
          // formatted errors are in the order of the errors they were formatted from
          const replacement = serviceUnavailableError();
          body.singleResult.errors = body.singleResult.errors.map((formatted, i) =>
            unavailable[i] ? { message: replacement.message, path: formatted.path, extensions: { ...keptExtensions(formatted.extensions), code: replacement.extensions.code } } : formatted,
          );
          response.http.status = 503;
        },
      };
    },
  };
}

// a stack trace would only describe the driver's failure; anything else (a correlation id) stays
function keptExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const { stacktrace: _stacktrace, ...kept } = extensions ?? {};
  return kept;
}
