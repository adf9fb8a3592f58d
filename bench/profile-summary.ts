// Summarises a V8 .cpuprofile: self time by package and the top functions.
//   node dist/bench/profile-summary.js [file.cpuprofile | folder]   (default: newest in bench/results)
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<pkg> or node_modules/@scope/<pkg>; our own code by its folder; V8 and Node internals by name. */
export function packageOf(url: string, functionName: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.includes("/dist/src/")) return "app (src/)";
  if (url.includes("/dist/bench/")) return "bench";
  if (url.startsWith("node:")) return "node (core)";
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  return url;
}

function newest(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (!files.length) throw new Error(`No .cpuprofile in ${dir}`);
  return path.join(
    dir,
    files.sort((a, b) => statSync(path.join(dir, b)).mtimeMs - statSync(path.join(dir, a)).mtimeMs)[0]
  );
}

export function summariseProfile(fileOrDir: string, top = 25): string {
  const file = statSync(fileOrDir).isDirectory() ? newest(fileOrDir) : fileOrDir;
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, { pkg: string; us: number }>();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const where = callFrame.url ? `${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}` : "";
    const key = `${callFrame.functionName || "(anonymous)"} ${where}`.trim();
    const entry = byFunction.get(key) ?? { pkg, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const lines = [
    `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`,
    "",
    "| package | self time |",
    "|---|---:|",
  ];
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15))
    lines.push(`| ${pkg} | ${pct(us)} |`);
  lines.push("", "| function | package | self time |", "|---|---|---:|");
  for (const [name, { pkg, us }] of [...byFunction].sort((a, b) => b[1].us - a[1].us).slice(0, top))
    lines.push(`| ${name} | ${pkg} | ${pct(us)} |`);
  return lines.join("\n");
}

if (require.main === module) {
  console.log(summariseProfile(process.argv[2] ?? path.resolve(__dirname, "..", "..", "bench", "results")));
}

/** A CPU profile of `work` alone, written to bench/results/<name>-<time>.cpuprofile and summarised. */
export async function profileOf(name: string, work: () => Promise<void>, top = 15): Promise<string> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  await work();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  const file = path.join(__dirname, "..", "..", "bench", "results", `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return summariseProfile(file, top);
}
