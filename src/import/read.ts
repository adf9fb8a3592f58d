import type { DatasetCatalogue, DatasetReader } from "./dataset";
import { readDatasetFile } from "./parse";
import { DatasetRejected, type Problem } from "./problem";
import type { ImportProgress } from "./progress";
import { validateDataset, validateRecord, type DatasetRecords } from "./validate";

/**
 * The file as importDataset reads it: streamed, each record checked against its part of the schema as
 * it arrives (with its defaults applied), each valid shipment staged, the catalogue kept (it is small).
 * After the first problem nothing more is staged, but the rest is still checked, to report every problem.
 */
export function datasetFileReader(file: string, progress: ImportProgress = () => {}): DatasetReader {
  return async (stage) => {
    const catalogue: DatasetCatalogue = { accounts: [], carriers: [], carrierServices: [], serviceGroups: [] };
    // the top level without its lists' records, checked against the whole schema at the end
    const topLevel: Record<string, unknown> = {};
    let root: { value: unknown } | undefined;
    const problems: Problem[] = [];
    await readDatasetFile(
      file,
      async (pieces) => {
        for (const piece of pieces) {
          if (piece.kind === "value") topLevel[piece.key] = piece.value;
          else if (piece.kind === "list") topLevel[piece.key] = [];
          else if (piece.kind === "root") root = { value: piece.value };
          else {
            const checked = validateRecord(piece.section, piece.index, piece.value);
            if (!checked.ok) problems.push(...checked.problems);
            else if (problems.length > 0) continue;
            else if (piece.section === "shipments") await stage(checked.record as DatasetRecords["shipments"]);
            else (catalogue[piece.section] as unknown[]).push(checked.record);
          }
        }
      },
      (read, total) => progress("reading", read, total),
    );
    const whole = validateDataset(root ? root.value : topLevel, { inPlace: true });
    if (!whole.ok) problems.unshift(...whole.problems);
    if (problems.length > 0) throw new DatasetRejected(problems);
    return catalogue;
  };
}
