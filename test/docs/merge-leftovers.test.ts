// A merge leftover once sat in the README for a whole session: the files a user reads never carry one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const MARKER = /^(<{7} |={7}$|>{7} )/m;

// every tracked text file a user reads or builds from (git ls-files: what a clone holds)
const tracked = execFileSync("git", ["ls-files", "--", "*.md", "*.ts", "*.tsx", "*.graphql", "*.json", "*.yml", "*.yaml"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((file) => file && !file.startsWith("bench/results/"));

describe("merge leftovers", () => {
  it("no tracked document, source or schema holds a conflict marker", () => {
    const withMarkers = tracked.filter((file) => MARKER.test(readFileSync(path.join(root, file), "utf8")));

    expect(tracked.length).toBeGreaterThan(100);
    expect(withMarkers).toEqual([]);
  });
});
