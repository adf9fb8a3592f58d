// The service's V8 heap cap (README "Memory") is the same wherever it starts: `npm start`, the
// container's command and the bench's servers, so what the bench measures is what runs; and so is
// the import's (README "Importing data"): `npm run import`, the README's container import, the bench's.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { IMPORT_NODE_FLAGS, SERVER_NODE_FLAGS } from "../../bench/child";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const CAP = /--max-old-space-size=(\d+)/;
const scripts = () => (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
const lineOf = (file: string, has: (line: string) => boolean) => read(file).split("\n").find(has)!;

const PROCESSES = [
  {
    process: "the service",
    places: "npm start, the Dockerfile's CMD and the bench's servers",
    commands: () => [scripts().start, lineOf("Dockerfile", (line) => line.startsWith("CMD ")), SERVER_NODE_FLAGS.join(" ")],
  },
  {
    process: "the import",
    places: "npm run import, the README's container import and the bench's import",
    commands: () => [scripts().import, lineOf("README.md", (line) => line.startsWith("docker compose run") && line.includes("import/cli.js")), IMPORT_NODE_FLAGS.join(" ")],
  },
];

describe.each(PROCESSES)("the heap cap of $process", ({ places, commands }) => {
  it(`is one value in ${places}`, () => {
    // Arrange
    const texts = commands();

    // Act
    const caps = texts.map((text) => CAP.exec(text)?.[1]);

    // Assert
    expect(caps[0]).toMatch(/^\d+$/);
    expect(new Set(caps)).toEqual(new Set([caps[0]]));
  });
});

describe("the service's heap cap", () => {
  it("is what node applies: the heap limit a process started with the flags reports", async () => {
    // Arrange
    const megabytes = Number(CAP.exec(SERVER_NODE_FLAGS.join(" "))![1]);

    // Act
    const { stdout } = await promisify(execFile)(process.execPath, [...SERVER_NODE_FLAGS, "-p", "require('v8').getHeapStatistics().heap_size_limit"]);

    // Assert: old space as capped, plus the young generation V8 adds on top
    const limitMb = Number(stdout) / 2 ** 20;
    expect(limitMb).toBeGreaterThanOrEqual(megabytes);
    expect(limitMb).toBeLessThan(megabytes + 64);
  });
});
