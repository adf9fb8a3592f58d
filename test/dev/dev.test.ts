// `npm run dev` (scripts/dev.ts): rebuilt and restarted on a change, log lines pretty-printed for a
// terminal and passed unchanged otherwise. The project watched is the service plus a probe file
// the test edits, built into a folder of the test's own (src/ and dist/ are never touched).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDev, type Dev } from "../../scripts/dev";

const ROOT = path.resolve(__dirname, "../..");
const READY = /Allocation subgraph ready at http:\/\/localhost:\d+\/graphql/;

/** Collects what is written to it, and waits for text to appear a number of times. */
function recorder() {
  const stream = new PassThrough();
  let text = "";
  const waiters: (() => void)[] = [];
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    waiters.splice(0).forEach((wake) => wake());
  });
  const count = (pattern: RegExp) => text.split("\n").filter((line) => pattern.test(stripVTControlCharacters(line))).length;
  return {
    stream,
    lines: () => text.split("\n").filter(Boolean).map(stripVTControlCharacters),
    async waitFor(pattern: RegExp, times = 1): Promise<void> {
      while (count(pattern) < times) await new Promise<void>((wake) => waiters.push(wake));
    },
  };
}

// two builds of the whole service and two starts of it: minutes on a busy machine
describe("npm run dev", { timeout: 300_000 }, () => {
  const dir = path.join(ROOT, ".test-cache", `dev-${process.pid}`);
  const probe = path.join(dir, "probe.ts");
  let dev: Dev | undefined;

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, "export const edits = 0;\n");
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../../tsconfig.build.json", compilerOptions: { rootDir: "../..", outDir: "out" }, include: ["../../src", "probe.ts"] }),
    );
    // what `npm run build` copies beside the compiled code
    cpSync(path.join(ROOT, "src/store/migrations"), path.join(dir, "out/src/store/migrations"), { recursive: true });
  });
  afterEach(async () => {
    await dev?.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = (pretty: boolean) => {
    const log = recorder();
    const messages = recorder();
    const env = { PATH: process.env.PATH, DATA_DIR: path.join(dir, "data"), PORT: "0", LOG_LEVEL: "info", PLAYGROUND: "false" };
    dev = startDev({ project: path.join(dir, "tsconfig.json"), pretty, log: log.stream, messages: messages.stream, env });
    return { log, messages };
  };

  it("restarts the service after a change builds, and pretty-prints its log for a terminal", async () => {
    const { log, messages } = start(true);
    await log.waitFor(READY);

    writeFileSync(probe, "export const edits = 1;\n");
    await log.waitFor(READY, 2);

    expect(messages.lines()).toContain("[dev] File change detected. Starting incremental compilation...");
    // the first service let go of the embedded store before the second opened it
    const lifecycle = log.lines().flatMap((line) => /INFO.*?: (Allocation subgraph ready|Shutting down|Stopped)/.exec(line)?.[1] ?? []);
    expect(lifecycle).toEqual(["Allocation subgraph ready", "Shutting down", "Stopped", "Allocation subgraph ready"]);
    expect(log.lines().find((line) => READY.test(line))).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Allocation subgraph ready at/);
  });

  it("passes the JSON log lines through unchanged when stdout is no terminal, and keeps the service when a change does not build", async () => {
    const { log, messages } = start(false);
    await log.waitFor(READY);

    writeFileSync(probe, "export const edits: number = 'two';\n");
    await messages.waitFor(/Found 1 error/);

    const ready = log.lines().filter((line) => READY.test(line));
    expect(ready).toHaveLength(1);
    expect(JSON.parse(ready[0])).toMatchObject({ level: 30, service: "allocation-subgraph", msg: expect.stringMatching(READY) });
    expect(messages.lines().some((line) => line.includes("TS2322"))).toBe(true);
    expect(log.lines().some((line) => line.includes("Shutting down"))).toBe(false);
  });
});
