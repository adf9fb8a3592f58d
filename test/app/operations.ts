import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse } from "graphql";

const OPERATIONS = path.resolve(__dirname, "../../schema/operations");

/** The names of the operations in schema/operations/, the ones `npm run codegen` makes hooks of. */
export function generatedOperationNames(): string[] {
  return readdirSync(OPERATIONS)
    .filter((file) => file.endsWith(".graphql"))
    .flatMap((file) => parse(readFileSync(path.join(OPERATIONS, file), "utf8")).definitions)
    .flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : []));
}
