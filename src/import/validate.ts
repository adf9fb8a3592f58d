import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import schema from "../../data/dataset.schema.json";
import type { Dataset, DatasetAccount, DatasetCarrier, DatasetCarrierService, DatasetServiceGroup, DatasetShipment } from "./dataset";
import { jsonPath, type Problem } from "./problem";
import { unstorableValues } from "./values";

// the schema leaves every top-level list optional
type RawDataset = Partial<Dataset> & Pick<Dataset, "version">;

const ajv = new Ajv2020({ useDefaults: true, allErrors: true });
const validateSchema = ajv.compile<RawDataset>(schema);

/** The top-level lists of a data set, each record of which is checked on its own as a file streams by. */
export interface DatasetRecords {
  accounts: DatasetAccount;
  carriers: DatasetCarrier;
  carrierServices: DatasetCarrierService;
  serviceGroups: DatasetServiceGroup;
  shipments: DatasetShipment;
}
export type Section = keyof DatasetRecords;

// each list's items by their $defs entry: the same rules as the whole schema, one record at a time
const DEFS: Record<Section, string> = {
  accounts: "account",
  carriers: "carrier",
  carrierServices: "carrierService",
  serviceGroups: "serviceGroup",
  shipments: "shipment",
};
const validateItem = Object.fromEntries(
  Object.entries(DEFS).map(([section, def]) => [section, ajv.getSchema(`${schema.$id}#/$defs/${def}`) as ValidateFunction]),
) as Record<Section, ValidateFunction>;

export function isSection(key: string): key is Section {
  return Object.hasOwn(DEFS, key);
}

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
  if (!validateSchema(data)) return { ok: false, problems: problemsOf(validateSchema.errors, []) };
  const { accounts = [], carriers = [], carrierServices = [], serviceGroups = [], shipments = [] } = data;
  return { ok: true, dataset: { version: 1, accounts, carriers, carrierServices, serviceGroups, shipments } };
}

/**
 * One record of a top-level list, freshly parsed (its defaults go into it), at `$.section[index]`:
 * the same problems validateDataset would report for it, with the same paths.
 */
export function validateRecord<S extends Section>(
  section: S,
  index: number,
  input: unknown,
): { ok: true; record: DatasetRecords[S] } | { ok: false; problems: Problem[] } {
  const at = [section, index];
  const unstorable = unstorableValues(input, at);
  if (unstorable.length > 0) return { ok: false, problems: unstorable };
  const validate = validateItem[section];
  if (!validate(input)) return { ok: false, problems: problemsOf(validate.errors, at) };
  return { ok: true, record: input as DatasetRecords[S] };
}

function problemsOf(errors: ErrorObject[] | null | undefined, at: (string | number)[]): Problem[] {
  // ajv can report one problem more than once
  const problems = new Map((errors ?? []).map((e) => toProblem(e, at)).map((p) => [`${p.path}\n${p.message}`, p]));
  return [...problems.values()];
}

function toProblem(error: ErrorObject, at: (string | number)[]): Problem {
  const segments = [
    ...at,
    ...error.instancePath
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")),
  ];
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
