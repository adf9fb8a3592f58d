import { printSubgraphSchema } from "@apollo/subgraph";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildAllocationSchema } from "../src/graphql/schema";
import { acknowledgementSchema, checkEvolution } from "./schema-evolution";

const ROOT = path.resolve(__dirname, "../..");
const COMMITTED = path.join(ROOT, "schema/subgraph.graphql");
const ACKNOWLEDGED = path.join(ROOT, "schema/acknowledged-breaking-changes.json");

// apps already in users' hands query the committed schema: a breaking change must be a decision
async function main() {
  const acknowledged = existsSync(ACKNOWLEDGED)
    ? acknowledgementSchema.parse(JSON.parse(readFileSync(ACKNOWLEDGED, "utf8")))
    : [];
  const current = printSubgraphSchema(await buildAllocationSchema());
  const report = await checkEvolution(readFileSync(COMMITTED, "utf8"), current, acknowledged);

  for (const change of report.safe) console.log(`  ${change.criticality.level}: ${change.message}`);
  for (const change of report.breaking) {
    const mark = report.unacknowledged.includes(change) ? "BREAKING" : "BREAKING (acknowledged)";
    console.log(`  ${mark}: ${change.message}${change.path ? ` [${change.path}]` : ""}`);
  }
  if (report.unacknowledged.length > 0) {
    console.error(
      `\n${report.unacknowledged.length} breaking change(s) to schema/subgraph.graphql. Keep the old fields, or ` +
        `acknowledge each in ${path.relative(ROOT, ACKNOWLEDGED)} as {"message", "path", "reason"}.`,
    );
    process.exit(1);
  }
  console.log(`Schema check passed (${report.breaking.length} acknowledged breaking, ${report.safe.length} other changes).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
