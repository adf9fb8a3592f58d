// The built service as a child process, as `npm start` runs it: for tests that need real separate
// processes (signals, several instances on one database).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "../..");

export interface ServiceProcess {
  child: ChildProcess;
  origin: string;
  exited: Promise<{ code: number | null; at: number }>;
}

/** Builds the service the way `npm run build` does, into a folder of the calling test's own (dist/ may be in use). */
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

/** Starts the built main.js on PostgreSQL and an ephemeral port; resolves once it says where it listens. */
export async function startService(main: string, databaseUrl: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit").then(([code]) => ({ code: code as number | null, at: Date.now() }));
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/localhost:\d+)\/graphql/.exec(output);
      if (!match) return;
      // the request log keeps coming: drain it without keeping it
      child.stdout.off("data", read);
      child.stdout.resume();
      resolve(match[1]);
    };
    child.stdout.on("data", read);
    child.stderr.resume();
    void exited.then(({ code }) => reject(new Error(`The service exited with ${code}: ${output}`)));
  });
  return { child, origin, exited };
}
