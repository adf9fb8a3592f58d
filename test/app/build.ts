// The app's production build, as `npm run app` makes it, into a folder of its own.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(__dirname, "../..");

/** Runs `npm run build -w app` into a new temporary folder and returns that folder. */
export async function buildApp(): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "allocation-app-"));
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build
  await promisify(execFile)("npm", ["run", "build", "--silent", "-w", "app", "--", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
  });
  return outDir;
}

/** Every JavaScript file of a build with its gzipped size in bytes. */
export async function gzippedScripts(outDir: string): Promise<{ file: string; bytes: number }[]> {
  const assets = path.join(outDir, "assets");
  const files = (await readdir(assets)).filter((file) => file.endsWith(".js"));
  return Promise.all(files.map(async (file) => ({ file, bytes: gzipSync(await readFile(path.join(assets, file))).length })));
}
