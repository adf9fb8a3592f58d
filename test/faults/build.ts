// Builds the service the way `npm run build` does, into a folder of the calling test's own (dist/ may be in use).
import { execFile } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "../..");

/** Returns the path of the built main.js. */
export async function buildService(name: string): Promise<{ main: string; remove(): void }> {
  const outDir = path.join(ROOT, ".test-cache", `${name}-${process.pid}`);
  // others' files may be mid-edit: tsc still emits; only a missing main.js is a failed build
  await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", outDir], {
    cwd: ROOT,
  }).catch(() => undefined);
  cpSync(path.join(ROOT, "src/store/migrations"), path.join(outDir, "src/store/migrations"), { recursive: true });
  const main = path.join(outDir, "src/main.js");
  if (!existsSync(main)) throw new Error(`The build wrote no ${main}`);
  return { main, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
