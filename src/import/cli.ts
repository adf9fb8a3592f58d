import { readFile } from "node:fs/promises";
import { loadConfig } from "../config/config";
import { openConfiguredStore } from "../store";
import { importDataset } from "./apply";
import { describeCounts, progressOn, type ImportProgress } from "./progress";
import { checkReferences, validateDataset, type Problem } from "./validate";

export interface Output {
  log(message: string): void;
  error(message: string): void;
}

/** `npm run import -- <file>`: validates the whole file, then writes all of it or nothing. Returns the exit code. */
export async function runImport(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: Output = console,
  progress: ImportProgress = progressOn(process.stderr),
): Promise<number> {
  if (argv.length !== 1) {
    out.error("Usage: npm run import -- <data-set.json>");
    return 2;
  }
  const [file] = argv;
  try {
    const config = loadConfig(env);
    const parsed = parseJson(await readFile(file, "utf8"));
    if (!parsed.ok) {
      out.error(`${file} is not valid JSON: ${parsed.message}`);
      return 1;
    }
    const validation = validateDataset(parsed.value);
    if (!validation.ok) return reject(file, validation.problems, out);
    const store = await openConfiguredStore(config);
    try {
      const problems = await checkReferences(validation.dataset, store);
      if (problems.length > 0) return reject(file, problems, out);
      const summary = await importDataset(store, validation.dataset, progress).finally(() => progress.stop());
      const notes = { accounts: `${summary.apiKeys} API keys`, shipments: "existing shipments are never changed" };
      out.log(`Imported ${file} into ${store.location}:\n${describeCounts(summary, notes)}`);
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

function reject(file: string, problems: Problem[], out: Output): number {
  out.error(`${file} has ${problems.length} problem(s); nothing was imported:`);
  for (const p of problems) out.error(`${p.path}: ${p.message}`);
  return 1;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    // V8 reports a character offset (newer versions add the line, older ones sometimes no offset)
    const position = /at position (\d+)/.exec(message);
    if (!position || /\bline \d+/.test(message)) return { ok: false, message };
    const before = text.slice(0, Number(position[1])).split("\n");
    return { ok: false, message: `${message} (line ${before.length}, column ${before[before.length - 1].length + 1})` };
  }
}

if (require.main === module) {
  runImport(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
