// The Dockerfile and compose.yaml cannot be built on this machine (no image registry): what can be
// checked without Docker is. Both parse, every file they copy and every script or command they run
// exists, the health check's command works against the real server, and compose's settings are
// settings the service knows and accepts.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadConfig } from "../../src/config/config";
import { startHttpServer, type HttpTestServer } from "../support/server";
import { openDemoPglite, type DemoStore } from "../support/stores";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Dockerfile syntax as far as this one uses it: comments, `\` continuations, one instruction a line. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n\s*/g, " ").split("\n").map((line) => line.trim());
  const stages: Stage[] = [];
  for (const line of lines.filter((l) => l && !l.startsWith("#"))) {
    const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!keyword) throw new Error(`Not an instruction: ${line}`);
    if (keyword.toUpperCase() === "FROM") {
      const [from, as, name] = args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${keyword} before FROM`);
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const last = (stage: Stage, keyword: string) => all(stage, keyword).at(-1);

/** COPY [--from=stage] <source>... <destination> */
function copies(stage: Stage) {
  return all(stage, "COPY").map((args) => {
    const words = args.split(/\s+/);
    const from = words[0].startsWith("--from=") ? words.shift()!.slice("--from=".length) : undefined;
    return { from, sources: words.slice(0, -1), destination: words.at(-1)! };
  });
}

/** HEALTHCHECK [options] CMD ["…", …] */
function healthCheckCommand(stage: Stage): string[] {
  const args = last(stage, "HEALTHCHECK");
  return JSON.parse(args!.slice(args!.indexOf("CMD ") + "CMD ".length));
}

/** The folder the build writes to, from the tsconfig `npm run build` compiles with. */
function buildOutDir(): string {
  const file = path.join(ROOT, "tsconfig.build.json");
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(file, (path) => ts.sys.readFile(path)).config, ts.sys, ROOT, undefined, file);
  return path.relative(ROOT, config.options.outDir!);
}

const packageJson = JSON.parse(read("package.json")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const dockerignore = read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
const isIgnored = (source: string) => dockerignore.some((pattern) => source === pattern || source.startsWith(`${pattern}/`));

const stages = parseDockerfile(read("Dockerfile"));
const [build, runtime] = stages;
/** The port the image sets (ENV PORT=…). */
const imagePort = /\bPORT=(\d+)/.exec(last(runtime, "ENV") ?? "")?.[1];

describe("the Dockerfile", () => {
  it("has two stages on Node 20: a build and a runtime", () => {
    expect(stages.map((s) => [s.name, s.from.split(":")[0], s.from.split(":")[1].split("-")[0]])).toEqual([
      ["build", "node", "20"],
      ["runtime", "node", "20"],
    ]);
  });

  it("copies files that are in the repository and not kept out of the build context", () => {
    const sources = stages.flatMap((stage) => copies(stage).filter((c) => !c.from).flatMap((c) => c.sources));

    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source)), source).toBe(true);
      expect(isIgnored(source), `${source} is in .dockerignore`).toBe(false);
    }
  });

  it("copies into the runtime only what the build stage writes (`npm run build`'s output folder)", () => {
    const fromBuild = copies(runtime).filter((c) => c.from === build.name);
    const workdir = last(build, "WORKDIR")!;

    expect(fromBuild.flatMap((c) => c.sources)).toEqual([`${workdir}/${buildOutDir()}`]);
    expect(all(build, "RUN")).toContain("npm run build");
    expect(packageJson.scripts.build).toContain("tsconfig.build.json");
  });

  it("runs npm scripts that exist, and `npm ci` after copying the lock file", () => {
    for (const stage of stages) {
      for (const run of all(stage, "RUN")) {
        for (const [, script] of run.matchAll(/npm run (\S+)/g)) expect(packageJson.scripts, script).toHaveProperty(script);
      }
      const lockCopied = stage.instructions.findIndex((i) => i.keyword === "COPY" && i.args.includes("package-lock.json"));
      const npmCi = stage.instructions.findIndex((i) => i.keyword === "RUN" && i.args.startsWith("npm ci"));
      expect(lockCopied, stage.name).toBeGreaterThanOrEqual(0);
      expect(npmCi, stage.name).toBeGreaterThan(lockCopied);
    }
  });

  it("gives each `npm ci` the patches its postinstall applies, and the tool that applies them in production too", () => {
    expect(packageJson.scripts.postinstall).toBe("patch-package --error-on-fail");
    // npm ci --omit=dev runs postinstall as well
    expect(packageJson.dependencies).toHaveProperty("patch-package");
    for (const stage of stages) {
      const patchesCopied = stage.instructions.findIndex((i) => i.keyword === "COPY" && i.args.split(/\s+/)[0] === "patches");
      const npmCi = stage.instructions.findIndex((i) => i.keyword === "RUN" && i.args.startsWith("npm ci"));
      expect(patchesCopied, stage.name).toBeGreaterThanOrEqual(0);
      expect(npmCi, stage.name).toBeGreaterThan(patchesCopied);
    }
  });

  it("installs only production dependencies in the runtime, runs as a non-root user, and starts node directly", () => {
    expect(all(runtime, "RUN").some((run) => run.startsWith("npm ci --omit=dev"))).toBe(true);
    expect(last(runtime, "USER")).toBe("node");
    // node and its flags (the heap cap: heap-cap.test.ts), then the entry point
    const command = JSON.parse(last(runtime, "CMD")!) as string[];
    expect(command[0]).toBe("node");
    expect(command.slice(1, -1).every((arg) => arg.startsWith("--"))).toBe(true);
    expect(command.at(-1)).toBe(`${buildOutDir()}/src/main.js`);
    expect(existsSync(path.join(ROOT, "src/main.ts"))).toBe(true);
  });

  it("gives the runtime what the service reads beside dist: package.json (its root) and the demo data set", () => {
    const copied = copies(runtime).filter((c) => !c.from).flatMap((c) => c.sources);

    expect(copied).toEqual(expect.arrayContaining(["package.json", "data"]));
    expect(existsSync(path.join(ROOT, "data/demo-dataset.json"))).toBe(true);
  });

  it("exposes the port the image configures", () => {
    expect(imagePort).toBe(last(runtime, "EXPOSE"));
  });

  describe("its health check", () => {
    let store: DemoStore;
    let server: HttpTestServer;
    const [command, ...args] = healthCheckCommand(runtime);
    const check = (port: number) =>
      promisify(execFile)(command === "node" ? process.execPath : command, args, { env: { PORT: String(port) } }).then(
        () => 0,
        (error: { code: number }) => error.code,
      );

    beforeAll(async () => {
      store = await openDemoPglite();
      server = await startHttpServer(store);
    });
    afterAll(async () => {
      await server?.stop();
      await store?.close();
    });

    it("asks /health, and passes while the service answers", async () => {
      expect(args.join(" ")).toContain("/health");
      expect(await check(server.port)).toBe(0);
    });

    it("fails when nothing answers on the port", async () => {
      await server.stop();
      expect(await check(server.port)).toBe(1);
    });
  });
});

describe("compose.yaml", () => {
  const compose = parseYaml(read("compose.yaml")) as {
    services: Record<string, Record<string, any>>;
    volumes?: Record<string, unknown>;
  };
  const { postgres, allocation } = compose.services;
  const documented = [...read("README.md").matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);

  it("runs the subgraph, built from this repository's Dockerfile, after PostgreSQL is healthy", () => {
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(postgres.healthcheck.test.join(" ")).toContain("pg_isready");
    expect(existsSync(path.join(ROOT, allocation.build, "Dockerfile"))).toBe(true);
    expect(allocation.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });

  it("sets only documented settings, with values the service accepts", () => {
    const environment = allocation.environment as Record<string, string>;

    for (const name of Object.keys(environment)) expect(documented, name).toContain(name);
    expect(() => loadConfig(environment)).not.toThrow();
  });

  it("points DATABASE_URL at the postgres service with its database and credentials", () => {
    const url = new URL(allocation.environment.DATABASE_URL);

    expect([url.hostname, url.port, url.username, url.password, url.pathname]).toEqual([
      "postgres",
      "5432",
      postgres.environment.POSTGRES_USER,
      postgres.environment.POSTGRES_PASSWORD,
      `/${postgres.environment.POSTGRES_DB}`,
    ]);
  });

  it("publishes the port the service listens on, and gives it longer than its shutdown grace to stop", () => {
    const config = loadConfig({ PORT: imagePort, ...allocation.environment });
    const [, containerPort] = String(allocation.ports[0]).split(":");

    expect(Number(containerPort)).toBe(config.port);
    expect(Number(/^(\d+)s$/.exec(allocation.stop_grace_period)?.[1]) * 1000).toBeGreaterThan(config.shutdownGraceMs);
  });

  it("declares the volumes it mounts", () => {
    const named = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v: string) => v.split(":")[0]));

    for (const volume of named) expect(compose.volumes ?? {}, volume).toHaveProperty(volume);
  });
});
