import { getNullableType, isListType, type DocumentNode, type GraphQLSchema } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

/** What a field costs, as federation's `@cost(weight:)` and `@listSize(assumedSize:)` will declare it. */
interface FieldCost {
  /** Per value the field produces (default 1). */
  weight?: number;
  /** For a list: how many items it is assumed to hold. */
  assumedSize?: number;
  /** For a list: the list argument whose length is its size (`@listSize(sizedFields:)`'s sibling `slicingArguments`). */
  sizedBy?: string;
}

/**
 * Declared per field ("Type.field"), in one place so that they can become directives. A field not
 * listed costs 1 per value; every list is declared (test/hardening/cost.test.ts checks it), with
 * the size an account's data can be expected to reach. `_entities` is sized by its representations.
 */
export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  "Query.carrierServices": { assumedSize: 100 },
  "Query.serviceGroups": { assumedSize: 50 },
  "CarrierService.serviceGroups": { assumedSize: 5 },
  "ServiceGroup.services": { assumedSize: 20 },
  "Price.taxes": { assumedSize: 2 },
  "Allocation.links": { assumedSize: 3 },
  "AllocateResult.links": { assumedSize: 3 },
  "AllocateResult.details": { assumedSize: 2 },
  "AllocateResult.excludedServices": { assumedSize: 20 },
  "TrackingDetails.contents": { assumedSize: 1 },
  "ShipmentTracking.trackingReferences": { assumedSize: 1 },
  "ContentsTracking.trackingReferences": { assumedSize: 1 },
  // a group's members, as ServiceGroup.services
  "AllocationPreview.candidates": { assumedSize: 20 },
  "AllocationPreview.details": { assumedSize: 2 },
  "DeallocateResult.details": { assumedSize: 2 },
  // allocations and deallocations of one shipment over its life
  "Shipment.allocationHistory": { assumedSize: 10 },
  // a write, and the reads of the shipment, the reference and the group behind it
  "Mutation.allocateShipmentWithVirtualService": { weight: 10 },
  "Mutation.allocateShipmentWithCarrierService": { weight: 10 },
  "Mutation.allocateShipmentWithServiceGroup": { weight: 10 },
  // one allocation per item, as many items as the request sends
  "Mutation.allocateShipments": { weight: 10, sizedBy: "items" },
};

// for a list field added without a declaration
const DEFAULT_LIST_SIZE = 10;

export interface OperationCost {
  cost: number;
  /** The representations of every `_entities` field of the operation, one array per field. */
  representations: unknown[][];
}

/**
 * The operation's estimated cost (graphql-query-complexity): each field costs its weight, plus its
 * selection's cost; a list multiplies both by its assumed size, `_entities` by its number of
 * representations. Introspection is counted per field, unmultiplied: its size is the schema's.
 * Throws the GraphQLError of invalid variables.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
): OperationCost {
  const representations: unknown[][] = [];
  const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const declared = FIELD_COSTS[`${type.name}.${field.name}`];
    const cost = (declared?.weight ?? 1) + childComplexity;
    if (type.name.startsWith("__") || field.name.startsWith("__") || !isListType(getNullableType(field.type))) return cost;
    if (type === schema.getQueryType() && field.name === "_entities") {
      const list = args.representations as unknown[];
      representations.push(list);
      return list.length * cost;
    }
    if (declared?.sizedBy) return (args[declared.sizedBy] as unknown[]).length * cost;
    return (declared?.assumedSize ?? DEFAULT_LIST_SIZE) * cost;
  };
  const cost = getComplexity({ schema, query: document, operationName, variables, estimators: [estimator] });
  return { cost, representations };
}
