import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatasetFile, UnreadableDataset, type Piece } from "../../src/import/parse";

// the reader's chunk: what straddles it is what a streaming reader can get wrong
const CHUNK = 1 << 20;

describe("readDatasetFile, streaming a data set file", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "alloc-parse-"));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  async function read(content: string | Buffer): Promise<{ pieces: Piece[]; bytes: number[] }> {
    const file = path.join(folder, "file.json");
    await writeFile(file, content);
    const pieces: Piece[] = [];
    const bytes: number[] = [];
    await readDatasetFile(file, (p) => void pieces.push(...p), (done) => void bytes.push(done));
    return { pieces, bytes };
  }

  async function failure(content: string | Buffer): Promise<string> {
    const error = await read(content).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreadableDataset);
    return (error as Error).message;
  }

  it("hands over each record of the top-level lists with its index, and every other top-level value", async () => {
    const { pieces } = await read('\uFEFF{ "version": 1, "accounts": [ {"reference": "a"}, {"reference": "b"} ], "x": [1], "shipments": [] }');

    expect(pieces).toEqual([
      { kind: "value", key: "version", value: 1 },
      { kind: "list", key: "accounts" },
      { kind: "record", section: "accounts", index: 0, value: { reference: "a" } },
      { kind: "record", section: "accounts", index: 1, value: { reference: "b" } },
      { kind: "value", key: "x", value: [1] },
      { kind: "list", key: "shipments" },
    ]);
  });

  it("hands over a file that is not an object whole, for the schema to refuse", async () => {
    expect((await read("[1, 2]")).pieces).toEqual([{ kind: "root", value: [1, 2] }]);
    expect((await read(" 42 ")).pieces).toEqual([{ kind: "root", value: 42 }]);
  });

  it("reads records and characters that straddle its chunks, and reports its progress in bytes", async () => {
    const pad = "x".repeat(CHUNK - '{"accounts":[{"name":"'.length - 1);
    // "é" takes two bytes: the first is the chunk's last byte
    const text = `{"accounts":[{"name":"${pad}é"},{"name":"ü\\"]"}]}`;

    const { pieces, bytes } = await read(text);

    expect(pieces.slice(1)).toEqual([
      { kind: "record", section: "accounts", index: 0, value: { name: `${pad}é` } },
      { kind: "record", section: "accounts", index: 1, value: { name: 'ü"]' } },
    ]);
    expect(bytes).toEqual([CHUNK, Buffer.byteLength(text)]);
  });

  it("places a byte that is not UTF-8 in a later chunk by its line, column and byte", async () => {
    const head = `{"accounts":[\n${'{"name":"n"},\n'.repeat(100_000)}{"name":"D`;
    const file = Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from('mo"}]}')]);

    expect(await failure(file)).toBe(`is not valid UTF-8: line 100002, column 11 (byte ${Buffer.byteLength(head)})`);
  });

  it("places a syntax error inside a record by its line and column in the file", async () => {
    const text = `{"accounts":[\n${'{"name":"n"},\n'.repeat(100_000)}{"name":"n",\n  "x" 1}]}`;

    expect(await failure(text)).toMatch(/^is not valid JSON: .* \(line 100003, column 7\)$/);
  });

  it("places a syntax error between records, and a file cut short", async () => {
    expect(await failure('{"accounts": [{}\n  {}]}')).toBe("is not valid JSON: Unexpected token '{' (line 2, column 3)");
    expect(await failure('{"accounts": [{}, {')).toMatch(/^is not valid JSON: Unexpected end of JSON input/);
  });

  it("refuses a top-level key given twice", async () => {
    expect(await failure('{"shipments": [], "shipments": []}')).toBe('is not valid JSON: Duplicate key "shipments" (line 1, column 29)');
  });
});
