// The service's V8 heap cap (README "Memory") is the same wherever it starts: `npm start`, the
// container's command and the bench's servers, so what the bench measures is what runs.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "../../bench/child";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const CAP = /--max-old-space-size=(\d+)/;

describe("the heap cap", () => {
  it("is one value in npm start, the Dockerfile's CMD and the bench's servers", () => {
    // Arrange
    const start = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.start;
    const cmd = read("Dockerfile").split("\n").find((line) => line.startsWith("CMD "))!;

    // Act
    const caps = [start, cmd, SERVER_NODE_FLAGS.join(" ")].map((text) => CAP.exec(text)?.[1]);

    // Assert
    expect(caps[0]).toMatch(/^\d+$/);
    expect(new Set(caps)).toEqual(new Set([caps[0]]));
  });

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
