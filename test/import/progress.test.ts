// `npm run import` on a large file: a plain line per tenth of the records when its output is not a
// terminal, a progress bar when it is.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/import/apply";
import { progressLines, progressOn } from "../../src/import/progress";
import { addToDemo, onDemandShipments } from "../batching/datasets";
import { openDemoPglite, type DemoStore } from "../support/stores";

const large = addToDemo({ shipments: onDemandShipments("sp_progress", 5_000) });

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
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 }) as unknown as NodeJS.WriteStream;
    let drawn = "";
    (terminal as unknown as PassThrough).on("data", (chunk: Buffer) => (drawn += chunk.toString()));
    const progress = progressOn(terminal);

    progress.start({ accounts: 0, carriers: 0, carrierServices: 0, serviceGroups: 0, shipments: 5_000 });
    progress.advance("shipments", 5_000);
    progress.stop();

    expect(drawn).toContain("Importing [████████████████████████████████████████] 100% | 5000/5000 records | shipments");
  });

  it("chooses plain lines when the output is no terminal", () => {
    const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let written = "";
    (pipe as unknown as PassThrough).on("data", (chunk: Buffer) => (written += chunk.toString()));
    const progress = progressOn(pipe);

    progress.start({ accounts: 0, carriers: 0, carrierServices: 0, serviceGroups: 0, shipments: 10 });
    progress.advance("shipments", 10);
    progress.stop();

    expect(written).toBe("Importing: 100% (10 of 10 records; now shipments)\n");
  });
});
