import { Directive } from "type-graphql";

// Federation's demand-control directives (https://specs.apollo.dev/cost/v0.1, linked by federation
// v2.9): a router with demand control reads them from the supergraph, ./cost.ts from this schema.

/** `@cost(weight:)`: what one value of the field costs, instead of 1 for an object and 0 for a scalar. */
export const Cost = (weight: number) => Directive(`@cost(weight: ${weight})`);

/** `@listSize(assumedSize:)`: how many items the list is assumed to hold. */
export const ListSize = (assumedSize: number) => Directive(`@listSize(assumedSize: ${assumedSize})`);

/** What allocating costs (a write transaction with its reads and the engine's run), and what weighs as much. */
export const ALLOCATION_WEIGHT = 10;
