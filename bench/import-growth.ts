// node dist/bench/import-growth.js [shipments …] (after npm run build): `npm run import` of generated files
// of growing size (bench/import-file.ts), each into a new PostgreSQL database and a new PGlite data
// directory, in a child process: its wall time, CPU time and peak RSS. Issue 12 point 4: the import
// streams the file, so its memory must not grow with the number of shipments.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { runImport } from "../src/import/cli";
import { IMPORT_NODE_FLAGS } from "./child";
import { writeImportFile } from "./import-file";
import { onServer } from "./setup";

export interface ImportGrowthRow {
  engine: "postgres" | "pglite";
  shipments: number;
  fileMB: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
}

// the largest file may take this much more memory than the smallest and still count as flat
export const FLAT_RATIO = 1.25;

/** Imports a file of each size on each engine, one child process per import, one after the other. */
export async function importGrowth(
  serverUrl: string,
  sizes: number[],
  log: (line: string) => void = console.log,
  engines: readonly ImportGrowthRow["engine"][] = ["postgres", "pglite"],
): Promise<ImportGrowthRow[]> {
  const folder = await mkdtemp(path.join(tmpdir(), "alloc-import-growth-"));
  const rows: ImportGrowthRow[] = [];
  try {
    for (const shipments of sizes) {
      const file = path.join(folder, `shipments-${shipments}.json`);
      await writeImportFile(file, shipments);
      const fileMB = (await stat(file)).size / 1e6;
      for (const engine of engines) {
        log(`import of ${shipments} shipments (${fileMB.toFixed(0)} MB) into ${engine}…`);
        const measured = engine === "postgres" ? await intoNewDatabase(serverUrl, file) : await intoNewDataDir(folder, file);
        rows.push({ engine, shipments, fileMB, ...measured });
      }
      await rm(file);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}

/** A Markdown table of the rows, and per engine whether peak RSS stayed flat from the smallest file to the largest. */
export function importGrowthTable(rows: ImportGrowthRow[]): string[] {
  const lines = [
    "| engine | shipments | file | time | CPU (import process) | peak RSS |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${r.shipments.toLocaleString("en")} | ${r.fileMB.toFixed(0)} MB | ${r.seconds.toFixed(1)} s | ${r.cpuSeconds.toFixed(1)} s | ${r.peakRssMB.toFixed(0)} MB |`,
    ),
  ];
  for (const engine of ["postgres", "pglite"] as const) {
    const of = rows.filter((r) => r.engine === engine).sort((a, b) => a.shipments - b.shipments);
    if (of.length < 2) continue;
    const ratio = of.at(-1)!.peakRssMB / of[0].peakRssMB;
    const verdict = ratio <= FLAT_RATIO ? "met" : "NOT met";
    lines.push(`- ${engine}: peak RSS ×${ratio.toFixed(2)} from ${of[0].shipments.toLocaleString("en")} to ${of.at(-1)!.shipments.toLocaleString("en")} shipments (target ≤ ×${FLAT_RATIO}: ${verdict})`);
  }
  return lines;
}

async function intoNewDatabase(serverUrl: string, file: string): Promise<Omit<ImportGrowthRow, "engine" | "shipments" | "fileMB">> {
  const name = `alloc_bench_import_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await importInChild(file, { DATABASE_URL: url.toString() });
  } finally {
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function intoNewDataDir(folder: string, file: string): Promise<Omit<ImportGrowthRow, "engine" | "shipments" | "fileMB">> {
  const dataDir = await mkdtemp(path.join(folder, "data-"));
  try {
    return await importInChild(file, { DATA_DIR: dataDir });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function importInChild(file: string, env: NodeJS.ProcessEnv): Promise<Omit<ImportGrowthRow, "engine" | "shipments" | "fileMB">> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [...IMPORT_NODE_FLAGS, __filename, "--child", file], {
    env: { PATH: process.env.PATH, ...env },
    maxBuffer: 1 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const usage = JSON.parse(stdout.trim().split("\n").at(-1)!) as { maxRSS: number; userCPUTime: number; systemCPUTime: number };
  return { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMB: (usage.maxRSS * 1024) / 1e6 };
}

// the child: the import command itself, its progress silenced, then its own resource usage as JSON
async function child(file: string): Promise<void> {
  const code = await runImport([file], process.env, { log: () => {}, error: (m) => console.error(m), progress: { write: () => true } });
  if (code !== 0) throw new Error(`import of ${file} failed with ${code}`);
  console.log(JSON.stringify(process.resourceUsage()));
}

if (require.main === module) {
  if (process.argv[2] === "--child") void child(process.argv[3]);
  else {
    const sizes = process.argv.slice(2).map(Number);
    void importGrowth(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test", sizes.length > 0 ? sizes : [100_000, 400_000]).then((rows) =>
      console.log(importGrowthTable(rows).join("\n")),
    );
  }
}
