import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bufferedDestination } from "../../src/config/logger";

const linesIn = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("log destination: lines written in batches, never held more than a second", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "log-destination-"));
    file = path.join(dir, "log.ndjson");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("holds a quiet service's line back, then writes it within a second", async () => {
    const destination = bufferedDestination(file);
    const log = pino(destination);

    log.info({ correlationId: "quiet-1" }, "graphql request");
    await sleep(50);
    const atOnce = linesIn(file);
    await sleep(1_200);

    expect(atOnce).toEqual([]);
    expect(linesIn(file).map((line) => JSON.parse(line).correlationId)).toEqual(["quiet-1"]);
  });

  it("writes a busy service's lines as soon as 4 KB are waiting, in order", async () => {
    const destination = bufferedDestination(file);
    const log = pino(destination);

    for (let i = 0; i < 60; i++) log.info({ correlationId: `busy-${i}`, padding: "x".repeat(60) }, "graphql request");
    await sleep(100);

    const written = linesIn(file).map((line) => JSON.parse(line).correlationId);
    expect(written.length).toBeGreaterThan(0);
    expect(written).toEqual(Array.from({ length: written.length }, (_, i) => `busy-${i}`));
  });

  it("writes everything on flush (start-up lines, exit)", async () => {
    const destination = bufferedDestination(file);
    const log = pino(destination);

    log.info("Allocation subgraph ready at http://localhost:4001/graphql");
    await new Promise<void>((resolve, reject) => destination.flush((error) => (error ? reject(error) : resolve())));

    expect(linesIn(file).map((line) => JSON.parse(line).msg)).toEqual(["Allocation subgraph ready at http://localhost:4001/graphql"]);
  });
});
