import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ParseOptions, ValidationRule } from "graphql";
import type { Context } from "../context";

/**
 * What one request may ask for. The limits on the document and its variables are checked before
 * the context touches the store, so a refused request runs no SQL; the execution time and the
 * response size of a query are checked while it runs and before its answer is sent. The legitimate
 * operations (the documented allocate mutation with every field, the router's `_entities` with
 * 1,000 representations) stay well inside them.
 */
export const LIMITS = {
  /** JSON body size; larger gets 413. */
  maxBodyBytes: 1024 * 1024,
  /** Lexical tokens of the query document. */
  maxTokens: 1_000,
  /** Nesting of selection sets, fragments flattened. */
  maxDepth: 10,
  /** Aliased fields per operation. */
  maxAliases: 15,
  /** Directives per operation. */
  maxDirectives: 10,
  /** Representations per request, all `_entities` fields together. */
  maxRepresentations: 1_000,
  /** Estimated cost (./cost.ts), from the schema's @cost and @listSize, as a router's demand control estimates it. */
  maxCost: 50_000,
  /** Bytes of a query's JSON answer. */
  maxResponseBytes: 4 * 1024 * 1024,
  /** Milliseconds a query may execute. */
  maxExecutionMs: 5_000,
} as const;

/** The limits checked around execution (./limits.plugin.ts); tests lower some of them. */
export type ExecutionLimits = Record<"maxRepresentations" | "maxCost" | "maxResponseBytes" | "maxExecutionMs", number>;

/** The graphql-js parser stops counting at maxTokens: a huge document is refused before it is built. */
export const parseOptions: ParseOptions = { maxTokens: LIMITS.maxTokens };

// graphql-armor's own token plugin throws from a hook (a 500): graphql-js' maxTokens replaces it;
// its cost ignores list sizes: ./cost.ts replaces it
const armor = new ApolloArmor({
  maxTokens: { enabled: false },
  maxDepth: { n: LIMITS.maxDepth, flattenFragments: true },
  maxAliases: { n: LIMITS.maxAliases },
  maxDirectives: { n: LIMITS.maxDirectives },
  costLimit: { enabled: false },
}).protect();

/** Apollo validation rules for depth, aliases and directives (each a 400 GRAPHQL_VALIDATION_FAILED). */
export const validationRules: ValidationRule[] = armor.validationRules;

/** Masks "Did you mean …?" in every error message, whatever the environment. */
export const limitPlugins = armor.plugins as ApolloServerPlugin<Context>[];
