// npm run bench -- --compare <git-ref>: the allocation scenario (PostgreSQL, 10 connections) on this build
// and on a build of <git-ref>, in turns; the ratio this/ref per round says what a change bought.
// The ref is checked out with `git worktree add` into a temporary folder, node_modules hard-linked
// (cp -al), and built with its own `npm run build`. Its own bench/setup.ts makes its database
// (createBenchDatabase(root, serverUrl, plan): its migrations, its import) and its own
// bench/server-child.ts runs its server (IPC "ready" {port}, "stats", "exit"): refs since the bench
// was added (0a94114) have both.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Child } from "./child";
import { benchReferences, type ShipmentPlan } from "./dataset";
import { median, spread } from "./report";
import { allocating, versus, warm, type VersusRound } from "./scenarios";
import { analyze, createBenchDatabase, type BenchDatabase } from "./setup";

export interface CompareResult {
  ref: string;
  commit: string;
  /** A: this build; B: the ref's. */
  rounds: VersusRound[];
}

export interface CompareOptions {
  root: string;
  serverUrl: string;
  rounds: number;
  allocations: number;
  warm: number;
  core: number;
  env: (databaseUrl: string) => NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const git = (root: string, args: string[]) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** The commit this build was made from, "+changes" when the tree differs from it; undefined outside a git clone. */
export function builtFrom(root: string): string | undefined {
  try {
    const changed = git(root, ["status", "--porcelain", "--", "src", "bench", "package.json", "package-lock.json", "patches", ":(exclude)bench/results"]) !== "";
    return `${git(root, ["rev-parse", "--short", "HEAD"])}${changed ? "+changes" : ""}`;
  } catch {
    return undefined;
  }
}

/** The ref's tree, built; remove() takes the worktree away again. */
function checkOut(root: string, commit: string, log: (line: string) => void): { tree: string; remove: () => void } {
  const folder = mkdtempSync(path.join(os.tmpdir(), "alloc-bench-ref-"));
  const tree = path.join(folder, "tree");
  const remove = () => {
    try {
      git(root, ["worktree", "remove", "--force", tree]);
    } catch {
      git(root, ["worktree", "prune"]);
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    git(root, ["worktree", "add", "--detach", tree, commit]);
    // hard links: no copy of the packages, and nothing is installed into them
    execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(tree, "node_modules")]);
    log(`  building ${commit.slice(0, 10)} in ${tree}`);
    execFileSync("npm", ["run", "build", "--silent"], { cwd: tree, stdio: ["ignore", "pipe", "pipe"] });
    for (const file of ["setup.js", "server-child.js"]) {
      if (!existsSync(path.join(tree, "dist", "bench", file))) throw new Error(`${commit} has no bench/${file.replace(/js$/, "ts")}: too old to compare with`);
    }
  } catch (error) {
    remove();
    const output = (error as { stderr?: Buffer; stdout?: Buffer }).stderr?.toString() || (error as { stdout?: Buffer }).stdout?.toString();
    throw new Error(`Cannot build ${commit}: ${output || String(error)}`, { cause: error });
  }
  return { tree, remove };
}

export async function compare(ref: string, options: CompareOptions): Promise<CompareResult> {
  const { root, log } = options;
  const commit = git(root, ["rev-parse", "--verify", `${ref}^{commit}`]);
  log(`--compare ${ref} (${commit.slice(0, 10)}): allocation on PostgreSQL, this build vs the ref's, ${options.rounds} rounds`);
  const plan: ShipmentPlan = [["warm", options.warm], ...Array.from({ length: options.rounds }, (_, r): [string, number] => [`round-${r}`, options.allocations])];
  const refs = (label: string) => benchReferences(plan, label);
  const { tree, remove } = checkOut(root, commit, log);
  const databases: BenchDatabase[] = [];
  const children: Child[] = [];
  try {
    // the ref's own setup: the schema and import of that version
    const refSetup = (await import(path.join(tree, "dist", "bench", "setup.js"))) as { createBenchDatabase: typeof createBenchDatabase };
    databases.push(await createBenchDatabase(root, options.serverUrl, plan));
    databases.push(await refSetup.createBenchDatabase(tree, options.serverUrl, plan));
    const [current, old] = databases;
    children.push(await Child.start("subgraph", "server-child", ["subgraph"], options.env(current.url), { core: options.core }));
    children.push(
      await Child.start("subgraph", "server-child", ["subgraph"], options.env(old.url), { core: options.core, file: path.join(tree, "dist", "bench", "server-child.js") }),
    );
    const a = { name: "this build", child: children[0] };
    const b = { name: ref, child: children[1] };
    await warm(a, allocating(() => refs("warm")));
    await warm(b, allocating(() => refs("warm")));
    await Promise.all(databases.map((database) => analyze(database.url)));
    const rounds = await versus(a, b, allocating((round) => refs(`round-${round}`)), options.rounds, log);
    return { ref, commit, rounds };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await Promise.all(databases.map((database) => database.drop()));
    remove();
  }
}

export function printCompare(result: CompareResult, log: (line: string) => void): void {
  const side = (pick: (round: VersusRound) => VersusRound["a"]) => {
    const runs = result.rounds.map((round) => pick(round).result);
    return `${median(runs.map((x) => x.rps)).toFixed(0)} | ${median(runs.map((x) => x.p50)).toFixed(2)} | ${median(runs.map((x) => x.p99)).toFixed(2)} | ${Math.max(...runs.map((x) => x.rssMb)).toFixed(0)}`;
  };
  const shapes = (pick: (round: VersusRound) => VersusRound["a"]) =>
    Object.entries(pick(result.rounds[0]).statements)
      .map(([shape, n]) => `${shape} ${n.toFixed(2)}`)
      .join(", ");
  log("");
  log("| allocate, PostgreSQL, 10 conn. | req/s | p50 ms | p99 ms | RSS MB |");
  log("|---|---:|---:|---:|---:|");
  log(`| this build | ${side((round) => round.a)} |`);
  log(`| ${result.ref} (${result.commit.slice(0, 10)}) | ${side((round) => round.b)} |`);
  log(`this build / ${result.ref}, req/s: ${spread(result.rounds.map((round) => round.ratio))}× (median, min–max over ${result.rounds.length} rounds)`);
  log(`SQL statements per request, this build: ${shapes((round) => round.a)}`);
  log(`SQL statements per request, ${result.ref}: ${shapes((round) => round.b)}`);
}
