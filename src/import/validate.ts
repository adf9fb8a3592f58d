import Ajv2020, { type ErrorObject } from "ajv/dist/2020";
import schema from "../../data/dataset.schema.json";
import type { Dataset } from "./dataset";
import { jsonPath, type Problem } from "./problem";
import { unstorableValues } from "./values";

// the schema leaves every top-level list optional
type RawDataset = Partial<Dataset> & Pick<Dataset, "version">;

const validateSchema = new Ajv2020({ useDefaults: true, allErrors: true }).compile<RawDataset>(schema);

// what a failed pattern means, by the $defs entry that holds it
const PATTERN_MESSAGES: Record<string, string> = {
  decimal: 'must be a decimal string such as "12.50", with at most 10 digits before the point and 10 after',
  fraction: 'must be a decimal string below 10 such as "0.2", with at most 10 digits after the point',
  reference: "must be 1-50 letters, digits, '_', '.' or '-'",
  shipmentReference: 'must be "sp_" followed by 32 digits',
  country: "must be an ISO 3166 alpha-2 country code such as GB",
  currency: "must be an ISO 4217 currency code such as GBP",
};

/**
 * Checks input against data/dataset.schema.json; on success returns it with the defaults applied.
 * The input is left as it was, unless `inPlace` says that no one else holds it (a freshly parsed
 * file): then the defaults go into it, and it is not copied.
 */
export function validateDataset(
  input: unknown,
  { inPlace = false } = {},
): { ok: true; dataset: Dataset } | { ok: false; problems: Problem[] } {
  // first, as the steps after it recurse through the value
  const unstorable = unstorableValues(input);
  if (unstorable.length > 0) return { ok: false, problems: unstorable };
  const data = inPlace ? input : structuredClone(input);
  if (!validateSchema(data)) {
    // ajv can report one problem more than once
    const problems = new Map((validateSchema.errors ?? []).map(toProblem).map((p) => [`${p.path}\n${p.message}`, p]));
    return { ok: false, problems: [...problems.values()] };
  }
  const { accounts = [], carriers = [], carrierServices = [], serviceGroups = [], shipments = [] } = data;
  return { ok: true, dataset: { version: 1, accounts, carriers, carrierServices, serviceGroups, shipments } };
}

function toProblem(error: ErrorObject): Problem {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (error.keyword === "required") segments.push(String(error.params.missingProperty));
  if (error.keyword === "additionalProperties") segments.push(String(error.params.additionalProperty));
  return { path: jsonPath(segments), message: messageOf(error) };
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === "required") return "is required";
  if (error.keyword === "additionalProperties") return "is not allowed here";
  if (error.keyword === "enum") return `must be one of ${(error.params.allowedValues as unknown[]).map(String).join(", ")}`;
  if (error.keyword === "const") return `must be ${JSON.stringify(error.params.allowedValue)}`;
  const def = /^#\/\$defs\/(\w+)\/pattern$/.exec(error.schemaPath)?.[1];
  return (def && PATTERN_MESSAGES[def]) || (error.message ?? "is invalid");
}
