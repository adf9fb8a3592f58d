import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Store } from "../store";
import { hasAnyAccount } from "../store/dataset-lookups";
import { importDataset } from "../store/import-dataset";
import type { Dataset } from "./dataset";
import { validateDataset } from "./validate";

/** Loads the demo data set when the store has no account yet (a fresh embedded store); true if it did. */
export async function seedDemoDataIfEmpty(store: Store): Promise<boolean> {
  if (await hasAnyAccount(store.db)) return false;
  await importDataset(store, await loadDemoDataset());
  return true;
}

/** data/demo-dataset.json, validated, with its defaults applied. */
export async function loadDemoDataset(): Promise<Dataset> {
  const file = path.join(projectRoot(), "data", "demo-dataset.json");
  const result = validateDataset(JSON.parse(await readFile(file, "utf8")));
  if (!result.ok) {
    throw new Error(`${file} is not a valid data set: ${result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  }
  return result.dataset;
}

// the nearest folder with a package.json: this file runs from src/import (tests) and dist/src/import (built)
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`No package.json above ${__dirname}`);
  }
}
