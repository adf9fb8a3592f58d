import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeImportFile } from "../../bench/import-file";
import { buildService } from "../support/service-process";
import { describeOnPostgres, type PostgresDemoStore } from "../support/stores";
import { rowCounts } from "./tables";

const SHIPMENTS = 100_000;
// a 45 MB file: streamed, it imports within 40 MB of heap, as would a file of any size (the shipments
// go through a temporary table); the import that held the parsed file needed about 110 MB, and before
// that, holding several copies, over 200
const HEAP_MB = 48;

describeOnPostgres("the import command on a large file", (open) => {
  let build: Awaited<ReturnType<typeof buildService>>;
  let db: PostgresDemoStore;
  let folder: string;
  let file: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "alloc-import-large-"));
    file = path.join(folder, "large.json");
    [build, db] = await Promise.all([buildService("import-memory"), open(), writeImportFile(file, SHIPMENTS)]);
  });
  afterAll(async () => {
    await db?.dropDatabase();
    build?.remove();
    await rm(folder, { recursive: true, force: true });
  });

  it(`streams the file, never holding it: ${SHIPMENTS} shipments import within a ${HEAP_MB} MB heap`, async () => {
    const cli = path.join(path.dirname(build.main), "import", "cli.js");

    const { stdout } = await promisify(execFile)(process.execPath, [`--max-old-space-size=${HEAP_MB}`, cli, file], {
      env: { PATH: process.env.PATH, DATABASE_URL: db.databaseUrl },
    });

    expect(stdout).toContain(`shipments:        ${SHIPMENTS} inserted, 0 already present`);
    expect((await rowCounts(db)).shipments).toBe(13 + SHIPMENTS);
  }, 180_000);
});
