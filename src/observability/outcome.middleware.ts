import { getNamedType, isUnionType, type GraphQLResolveInfo } from "graphql";
import type { MiddlewareFn } from "type-graphql";
import type { Context } from "../graphql/context";

/** What one field with an outcome answered, for the request's log line and the allocation metrics (logging.plugin.ts). */
export interface FieldOutcome {
  field: string;
  /** The __typename of the union member it answered; one per item for a list (an item's own error is "error"); ["error"] when it threw. */
  outcomes: string[];
  /** A list (the batch): logged as how many items had each outcome. */
  list: boolean;
  seconds: number;
}

/**
 * On the root fields whose result is one member of a union (the allocate mutations, the deallocation, the
 * preview) and on no other: times the field and records its outcome in the request's context. A
 * middleware of these fields alone, not an Apollo field hook, which would make Apollo wrap every field of the schema.
 */
export const recordOutcome: MiddlewareFn<Context> = async ({ context, info }, next) => {
  const recorded = context.outcomes;
  // no request is recording (the schema executed without Apollo's plugins, as in the bench's execute path)
  if (!recorded) return next() as Promise<unknown>;
  const started = process.hrtime.bigint();
  let result: unknown;
  try {
    result = await next();
  } catch (error) {
    recorded.push({ field: info.fieldName, outcomes: ["error"], list: false, seconds: secondsSince(started) });
    throw error;
  }
  const outcomes = Array.isArray(result)
    ? result.map((item) => (item instanceof Error ? "error" : typenameOf(item, context, info)))
    : [typenameOf(result, context, info)];
  recorded.push({ field: info.fieldName, outcomes, list: Array.isArray(result), seconds: secondsSince(started) });
  return result;
};

// the union's own resolveType is what decides the __typename the client would see
function typenameOf(result: unknown, context: Context, info: GraphQLResolveInfo): string {
  const type = getNamedType(info.returnType);
  const resolved = isUnionType(type) && result ? type.resolveType?.(result, context, info, type) : undefined;
  return typeof resolved === "string" ? resolved : "unknown";
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
