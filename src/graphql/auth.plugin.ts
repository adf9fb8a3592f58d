import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type OperationDefinitionNode } from "graphql";
import type { Context } from "./context";

// what a router or gateway asks for when composing; it sends no key
const PUBLIC_FIELDS = new Set(["_service", "__typename"]);

function needsAccount(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (selection) => selection.kind !== Kind.FIELD || !PUBLIC_FIELDS.has(selection.name.value),
  );
}

/** Every operation but `_service` needs a known x-api-key: 401 UNAUTHENTICATED before any resolver runs. */
export function authPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (operation && !needsAccount(operation)) return;
          // only now, after parsing and validation: a rejected request runs no SQL
          if (await contextValue.authenticate()) return;
          throw new GraphQLError("A valid x-api-key header is required", {
            extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
          });
        },
      };
    },
  };
}
