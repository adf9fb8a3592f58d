import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import type { GraphQLSchema } from "graphql";
import gql from "graphql-tag";
import { buildSchema, createResolversMap, getMetadataStorage } from "type-graphql";
import { AllocateResolver, AllocationResolver } from "../allocation/allocation.resolver";
import { LifecycleResolver } from "../allocation/lifecycle.resolver";
import { AllocateShipmentsResolver } from "../allocation/batch.resolver";
import { AllocationLabelResolver } from "../labels/label.resolver";
import { resolveCarrierServiceReference } from "../carrier-service/carrier-service.reference";
import { CarrierServiceResolver } from "../carrier-service/carrier-service.resolver";
import { DecimalScalar } from "./decimal.scalar";
import { resolveServiceGroupReference } from "../service-group/service-group.reference";
import { ServiceGroupResolver } from "../service-group/service-group.resolver";
import { resolveShipmentReference } from "../shipment/shipment.reference";
import { ShipmentResolver } from "../shipment/shipment.resolver";

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@cost", "@listSize"])`;

/** The subgraph schema: type-graphql builds the types, @apollo/subgraph adds the federation fields. */
export async function buildAllocationSchema(): Promise<GraphQLSchema> {
  // a field without a @FieldResolver reads its property: without this, type-graphql gives it a
  // resolver that runs an empty middleware chain for every value (none is used here)
  for (const type of getMetadataStorage().objectTypes) type.simpleResolvers ??= true;
  const schema = await buildSchema({
    resolvers: [AllocateResolver, AllocateShipmentsResolver, AllocationResolver, AllocationLabelResolver, CarrierServiceResolver, ServiceGroupResolver, ShipmentResolver, LifecycleResolver],
    scalarsMap: [],
    validate: false,
    // the federation fields (_service, _entities) come from buildSubgraphSchema below
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers: {
      ...resolvers,
      Decimal: DecimalScalar,
      Shipment: { ...resolvers.Shipment, __resolveReference: resolveShipmentReference },
      CarrierService: { ...resolvers.CarrierService, __resolveReference: resolveCarrierServiceReference },
      ServiceGroup: { ...resolvers.ServiceGroup, __resolveReference: resolveServiceGroupReference },
    },
  });
}
