import { printSubgraphSchema } from "@apollo/subgraph";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildAllocationSchema } from "../src/graphql/schema";
import { clientSchemaSdl } from "./client-schema";

// printSubgraphSchema keeps the federation directives that graphql-js printSchema drops
async function main() {
  const target = path.resolve(__dirname, "../../schema/subgraph.graphql");
  const sdl = printSubgraphSchema(await buildAllocationSchema());
  writeFileSync(target, sdl);
  console.log(`Wrote ${path.relative(process.cwd(), target)}`);
  // what apps see through the router: generated hooks are typed against this file
  const clientTarget = path.resolve(__dirname, "../../schema/client.graphql");
  writeFileSync(clientTarget, clientSchemaSdl(sdl));
  console.log(`Wrote ${path.relative(process.cwd(), clientTarget)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
