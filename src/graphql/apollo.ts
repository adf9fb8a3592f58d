import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginInlineTrace } from "@apollo/server/plugin/inlineTrace";
import { NoSchemaIntrospectionCustomRule } from "graphql";
import type http from "node:http";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import { loggingPlugin } from "../observability/logging.plugin";
import type { Metrics } from "../observability/metrics";
import { outagePlugin } from "../observability/outage.plugin";
import { tracingPlugin } from "../observability/tracing.plugin";
import { authPlugin } from "./auth.plugin";
import type { Context } from "./context";
import { errorsPlugin, formatError } from "./errors";
import { oneBatchPerDocument } from "../allocation/batch.limit";
import { jitExecutor } from "./entities.executor";
import { withDeadlines } from "./limits/deadline";
import { stringifyResult } from "./limits/answer-text";
import { LIMITS, limitPlugins, parseOptions, validationRules, type ExecutionLimits } from "./limits/limits";
import { limitsPlugin } from "./limits/limits.plugin";
import { buildAllocationSchema } from "./schema";

export interface ApolloOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The HTTP server to drain on stop; absent when operations are executed in-process (tests, bench). */
  httpServer?: http.Server;
  /** Lower execution limits than LIMITS' (tests). */
  limits?: Partial<ExecutionLimits>;
  /** Requests arrive with an operation span to name (src/http/tracing.ts); false: no tracing plugin at all. */
  tracing?: boolean;
}

/** The one Apollo Server of the subgraph: schema, plugins, limits and error formatting, for the HTTP server and the tests alike. */
export async function createApolloServer({ config, logger, metrics, httpServer, limits, tracing }: ApolloOptions): Promise<ApolloServer<Context>> {
  const apollo = new ApolloServer<Context>({
    // _entities and allocateShipments compiled with graphql-jit, each on a schema of its own, the rest on graphql-js (entities.executor.ts)
    gateway: jitExecutor(withDeadlines(await buildAllocationSchema()), {
      entities: withDeadlines(await buildAllocationSchema()),
      batch: withDeadlines(await buildAllocationSchema()),
    }),
    plugins: [
      // first: what it refuses runs no SQL, not even the auth plugin's API-key lookup
      limitsPlugin({ ...LIMITS, ...limits }),
      authPlugin(),
      ...(httpServer ? [ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs })] : []),
      loggingPlugin(logger, metrics),
      ...(tracing ? [tracingPlugin()] : []),
      outagePlugin(),
      // GET /graphql's page is GraphQL Playground (src/http/playground/), not Apollo's CDN-hosted Sandbox
      ApolloServerPluginLandingPageDisabled(),
      // no type or field has a cache hint: the default plugin would only add work to every field
      ApolloServerPluginCacheControlDisabled(),
      // per-field timings (ftv1) only where the router alone can ask for them
      config.federationTraces ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(),
      errorsPlugin(logger),
      ...limitPlugins,
    ],
    parseOptions,
    // a query's answer is serialised once: the response-size check's text is the one sent
    stringifyResult,
    // introspection is refused by graphql-js' rule, whose message names no option (Apollo's names its
    // own, so Apollo's stays on); composition uses _service, which is a field, not introspection
    validationRules: [
      ...validationRules,
      oneBatchPerDocument,
      ...((config.introspection ?? !config.production) ? [] : [NoSchemaIntrospectionCustomRule]),
    ],
    introspection: true,
    formatError: formatError(config.production),
    // a wrong field name gets "Cannot query field", without guesses at the schema
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: !config.production,
    // main.ts owns SIGTERM: readiness goes off before anything stops accepting
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  return apollo;
}
