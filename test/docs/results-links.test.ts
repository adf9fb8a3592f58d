// The documents' figures come from results files a reader can open: every results file a document names is committed.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const documents = execFileSync("git", ["ls-files", "--", "*.md"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((file) => file && !file.startsWith("node_modules/"));
// a results file's name: the run's start, then what it ran (bench/run.ts)
const RESULTS_FILE = /\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z[\w+.-]*?\.json/g;
// a markdown link's target, relative to the document
const LINK = /\]\(([^)\s]+)\)/g;

describe("results files named by the documents", () => {
  const tracked = new Set(execFileSync("git", ["ls-files", "--", "bench/results"], { cwd: root, encoding: "utf8" }).split("\n").map((file) => path.basename(file)));

  it("every results file a document names is committed", () => {
    const named = documents.flatMap((file) => [...readFileSync(path.join(root, file), "utf8").matchAll(RESULTS_FILE)].map((match) => `${file}: ${match[0]}`));
    const missing = named.filter((entry) => !tracked.has(entry.slice(entry.indexOf(": ") + 2)));

    expect(named.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it("every link to a results file leads to it from the document's folder", () => {
    const links = documents.flatMap((file) =>
      [...readFileSync(path.join(root, file), "utf8").matchAll(LINK)]
        .map((match) => match[1])
        .filter((target) => target.includes("bench/results/"))
        .map((target) => ({ file, target })),
    );
    const broken = links.filter(({ file, target }) => !existsSync(path.join(root, path.dirname(file), decodeURI(target))));

    expect(links.length).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
