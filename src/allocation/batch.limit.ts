import { GraphQLError, type ValidationRule } from "graphql";

/**
 * A batch holds at most 100 items; aliases would multiply that within one request, and the cost
 * limit cannot see the items (a variable). So a document may hold allocateShipments once.
 */
export const oneBatchPerDocument: ValidationRule = (context) => {
  let batches = 0;
  return {
    Field(node) {
      if (node.name.value !== "allocateShipments" || context.getParentType() !== context.getSchema().getMutationType()) return;
      batches += 1;
      if (batches === 2) {
        context.reportError(new GraphQLError("allocateShipments may appear once per request (it takes up to 100 items)", { nodes: [node] }));
      }
    },
  };
};
