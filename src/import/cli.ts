import { parseArgs } from "node:util";
import { loadConfig } from "../config/config";
import { openConfiguredStore } from "../store";
import { importDataset, type ImportSummary } from "../store/import-dataset";
import { readDatasetFile } from "./parse";
import type { Problem } from "./problem";
import { checkReferences, type ImportOptions } from "./references";
import { validateDataset } from "./validate";

export interface Output {
  log(message: string): void;
  error(message: string): void;
}

const USAGE = "Usage: npm run import -- [--move-api-keys] <data-set.json>";

/** `npm run import -- <file>`: validates the whole file, then writes all of it or nothing. Returns the exit code. */
export async function runImport(argv: string[], env: NodeJS.ProcessEnv, out: Output = console): Promise<number> {
  const args = parseCommandLine(argv);
  if (!args) {
    out.error(USAGE);
    return 2;
  }
  const { file, options } = args;
  try {
    const config = loadConfig(env);
    const parsed = readDatasetFile(file);
    if (!parsed.ok) {
      out.error(`${file} ${parsed.message}`);
      return 1;
    }
    const validation = validateDataset(parsed.value, { inPlace: true });
    if (!validation.ok) return reject(file, validation.problems, out);
    const store = await openConfiguredStore(config);
    try {
      const problems = await checkReferences(validation.dataset, store, options);
      if (problems.length > 0) return reject(file, problems, out);
      const summary = await importDataset(store, validation.dataset, options);
      out.log(`Imported ${file} into ${store.location}:\n${describe(summary)}`);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    // configuration, unreadable file, busy data directory, unreachable database: the message says it all
    out.error(`Import failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
    return 1;
  }
}

function parseCommandLine(argv: string[]): { file: string; options: ImportOptions } | undefined {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { "move-api-keys": { type: "boolean" } }, allowPositionals: true });
    return positionals.length === 1 ? { file: positionals[0], options: { moveApiKeys: values["move-api-keys"] } } : undefined;
  } catch {
    // an unknown option
    return undefined;
  }
}

function reject(file: string, problems: Problem[], out: Output): number {
  out.error(`${file} has ${problems.length} problem(s); nothing was imported:`);
  for (const p of problems) out.error(`${p.path}: ${p.message}`);
  return 1;
}

function describe(s: ImportSummary): string {
  return [
    `  accounts:         ${s.accounts.created} created, ${s.accounts.updated} updated (${s.apiKeys} API keys)`,
    ...s.movedApiKeys.map((m) => `  API key moved:    ${m.path}, from account "${m.from}" to "${m.to}"`),
    `  carriers:         ${s.carriers.created} created, ${s.carriers.updated} updated`,
    `  carrier services: ${s.carrierServices.created} created, ${s.carrierServices.updated} updated`,
    `  service groups:   ${s.serviceGroups.created} created, ${s.serviceGroups.updated} updated`,
    `  shipments:        ${s.shipments.created} created, ${s.shipments.skipped} already present (left untouched)`,
  ].join("\n");
}

if (require.main === module) {
  void runImport(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
