import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ParseOptions, ValidationRule } from "graphql";
import type { Context } from "./context";

/**
 * What one request may ask for. Every limit is checked while parsing or validating, before the
 * context touches the store, so a rejected request runs no SQL. The legitimate operations (the
 * documented allocate mutation with every field, `_entities` with 1,000 representations, which are
 * variables) stay well inside them.
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
  /** graphql-armor's cost: 2 per object, 1 per scalar, times 1.5 per level of depth. */
  maxCost: 5_000,
} as const;

/** The graphql-js parser stops counting at maxTokens: a huge document is refused before it is built. */
export const parseOptions: ParseOptions = { maxTokens: LIMITS.maxTokens };

// graphql-armor's own token plugin throws from a hook (a 500): graphql-js' maxTokens replaces it
const armor = new ApolloArmor({
  maxTokens: { enabled: false },
  maxDepth: { n: LIMITS.maxDepth, flattenFragments: true },
  maxAliases: { n: LIMITS.maxAliases },
  maxDirectives: { n: LIMITS.maxDirectives },
  costLimit: { maxCost: LIMITS.maxCost },
}).protect();

/** Apollo validation rules for depth, aliases, directives and cost (each a 400 GRAPHQL_VALIDATION_FAILED). */
export const validationRules: ValidationRule[] = armor.validationRules;

/** Masks "Did you mean …?" in every error message, whatever the environment. */
export const limitPlugins = armor.plugins as ApolloServerPlugin<Context>[];
