// `npm run import` on a large file: a plain line per tenth of the records when its output is not a
// terminal, a progress bar when it is.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/import/apply";
import { progressLines, progressOn, type ImportProgress } from "../../src/import/progress";
import { addToDemo, onDemandShipments } from "../batching/datasets";
import { openDemoPglite, type DemoStore } from "../support/stores";

const large = addToDemo({ shipments: onDemandShipments("sp_progress", 5_000) });

/** A stream like stderr, on a terminal or not, that keeps what is written to it. */
function output(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let written = "";
  stream.on("data", (chunk: Buffer) => (written += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => written };
}

/** What an import of this many shipments (and nothing else) reports. */
function show(progress: ImportProgress, shipments: number): void {
  progress.start({ accounts: 0, carriers: 0, carrierServices: 0, serviceGroups: 0, shipments });
  progress.advance("shipments", shipments);
  progress.stop();
}

describe("import progress", () => {
  let store: DemoStore;

  beforeAll(async () => {
    store = await openDemoPglite();
  });
  afterAll(() => store?.close());

  it("is a plain line per tenth of the records written, when the output is no terminal", async () => {
    const lines: string[] = [];

    const summary = await importDataset(store, large, progressLines((line) => lines.push(line)));

    expect(lines).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((tenth) => `Importing: ${tenth * 10}% (${tenth * 500} of 5000 records; now shipments)`),
    );
    expect(summary.shipments).toEqual({ inserted: 5_000, updated: 0, unchanged: 0 });
  });

  it("is a bar on a terminal", () => {
    const terminal = output(true);

    show(progressOn(terminal.stream), 5_000);

    expect(terminal.written()).toContain("Importing [████████████████████████████████████████] 100% | 5000/5000 records | shipments");
  });

  it("chooses plain lines when the output is no terminal", () => {
    const pipe = output(false);

    show(progressOn(pipe.stream), 10);

    expect(pipe.written()).toBe("Importing: 100% (10 of 10 records; now shipments)\n");
  });
});
