// The committed client artefacts must be what the generators produce from the current code:
// a stale schema/client.graphql or client/generated/ would ship hooks that disagree with the server.
import { generate, loadContext } from "@graphql-codegen/cli";
import { printSubgraphSchema } from "@apollo/subgraph";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { clientSchemaSdl } from "../../scripts/client-schema";
import { buildAllocationSchema } from "../../src/graphql/schema";

const ROOT = path.resolve(__dirname, "../..");
const committed = (file: string) => readFile(path.join(ROOT, file), "utf8");

describe("schema/client.graphql", () => {
  it("is the schema printed from the code, without federation (`npm run schema` leaves no diff)", async () => {
    const printed = clientSchemaSdl(printSubgraphSchema(await buildAllocationSchema()));

    expect(await committed("schema/client.graphql")).toBe(printed);
  });

  it("shows clients no federation directive or field", async () => {
    const sdl = await committed("schema/client.graphql");

    expect(sdl).not.toMatch(/@link\b|@key\b|@shareable\b|\b_service\b|\b_entities\b|\b_Any\b/);
    expect(sdl).toContain("union AllocateShipmentWithVirtualServiceResult");
  });
});

describe("client/generated (the Apollo Client 4 hooks)", () => {
  it("is what `npm run codegen` generates from codegen.yml", async () => {
    const context = await loadContext(path.join(ROOT, "codegen.yml"));
    context.cwd = ROOT;

    const outputs: { filename: string; content: string }[] = await generate(context, false);

    expect(outputs.map((o) => path.relative(ROOT, path.resolve(ROOT, o.filename))).sort()).toEqual([
      "client/generated/graphql.ts",
      "client/generated/persisted-queries.ts",
      "client/generated/possible-types.ts",
    ]);
    for (const output of outputs) {
      expect(await committed(path.relative(ROOT, path.resolve(ROOT, output.filename))), output.filename).toBe(output.content);
    }
  });
});

describe("client/generated/persisted-query-manifest.json (for the router's persisted query list)", () => {
  it("is what `npm run codegen` generates from schema/operations", async () => {
    const config = JSON.parse(await committed("persisted-query-manifest.config.json"));
    const dir = await mkdtemp(path.join(tmpdir(), "manifest-"));
    try {
      // the same command and configuration as `npm run codegen`, writing elsewhere
      const output = path.join(dir, "manifest.json");
      await writeFile(path.join(dir, "config.json"), JSON.stringify({ ...config, output }));
      const cli = path.join(ROOT, "node_modules/@apollo/generate-persisted-query-manifest/cli.js");

      await promisify(execFile)(process.execPath, [cli, "--config", path.join(dir, "config.json")], { cwd: ROOT });

      expect(await committed(config.output)).toBe(await readFile(output, "utf8"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
