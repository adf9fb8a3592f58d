import { printSubgraphSchema } from "@apollo/subgraph";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildAllocationSchema } from "../src/schema";

// printSubgraphSchema keeps the federation directives that graphql-js printSchema drops
async function main() {
  const target = path.resolve(__dirname, "../../schema/subgraph.graphql");
  writeFileSync(target, printSubgraphSchema(await buildAllocationSchema()));
  console.log(`Wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
