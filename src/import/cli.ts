import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/config";
import { openConfiguredStore } from "../store";
import { importDataset, type Counts, type ImportSummary } from "../store/import-dataset";
import { UnreadableDataset } from "./parse";
import { DatasetRejected, type Problem } from "./problem";
import { progressReporter, type ProgressStream, type Reporter } from "./progress";
import { datasetFileReader } from "./read";
import type { ImportOptions } from "./references";

export interface Output {
  log(message: string): void;
  error(message: string): void;
  /** Where progress goes (stderr when not given): a bar if it is a terminal, lines otherwise. */
  progress?: ProgressStream;
}

const USAGE = "Usage: npm run import -- [--move-api-keys] <data-set.json>";
// a smaller file imports in about a second: its progress would only be noise
const PROGRESS_FROM_BYTES = 1 << 20;

/** `npm run import -- <file>`: streams, checks and writes the file in one transaction: all of it or nothing. Returns the exit code. */
export async function runImport(argv: string[], env: NodeJS.ProcessEnv, out: Output = console): Promise<number> {
  const args = parseCommandLine(argv);
  if (!args) {
    out.error(USAGE);
    return 2;
  }
  const { file, options } = args;
  let reporter: Reporter = { progress: () => {}, end: () => {} };
  try {
    const config = loadConfig(env);
    if ((await stat(file)).size >= PROGRESS_FROM_BYTES) reporter = progressReporter(out.progress ?? process.stderr);
    const store = await openConfiguredStore(config);
    try {
      const summary = await importDataset(store, datasetFileReader(file, reporter.progress), options, reporter.progress);
      reporter.end();
      out.log(`Imported ${file} into ${store.location}:\n${describe(summary)}`);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    reporter.end();
    if (error instanceof UnreadableDataset) {
      out.error(`${file} ${error.message}`);
      return 1;
    }
    if (error instanceof DatasetRejected) return reject(file, error.problems, out);
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
  const line = (c: Counts) => `${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged`;
  return [
    `  accounts:         ${line(s.accounts)}`,
    `  API keys:         ${line(s.apiKeys)}, ${s.apiKeys.removed} removed`,
    ...s.movedApiKeys.map((m) => `  API key moved:    ${m.path}, from account "${m.from}" to "${m.to}"`),
    `  carriers:         ${line(s.carriers)}`,
    `  carrier services: ${line(s.carrierServices)}`,
    `  service groups:   ${line(s.serviceGroups)}`,
    `  shipments:        ${s.shipments.inserted} inserted, ${s.shipments.skipped} already present (left untouched)`,
  ].join("\n");
}

if (require.main === module) {
  void runImport(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
