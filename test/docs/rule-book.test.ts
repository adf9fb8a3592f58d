// Keeps docs/allocation-rules.md honest: every rule that code, tests or the README cite is written
// in the book, each citing file says where the rules are, and the book's numbers stay stable.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/graphql/limits/limits";

const root = path.resolve(__dirname, "../..");
const BOOK = "docs/allocation-rules.md";
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const book = read(BOOK);

// a written rule is a "### Rule N: title" heading; a planned one is a "- Rule N: title" line
const numbersOf = (pattern: RegExp) => [...book.matchAll(pattern)].map((match) => Number(match[1]));
const written = new Set(numbersOf(/^### Rule (\d+): /gm));
const planned = new Set(numbersOf(/^- Rule (\d+): /gm));

const SOURCE_DIRS = ["src", "test", "scripts", "bench"];
const sources = [
  "README.md",
  ...SOURCE_DIRS.flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.(ts|tsx|cjs|md)$/.test(file))
      .map((file) => path.join(dir, file)),
  ),
];

// "Rule 6", "rules 8-10", "Rules 11 and 12", "rules 5 to 13": lists of numbers and ranges
const CITATION = /\brules?\s+(\d+(?:\s*(?:-|–|to|,|and|or)\s*\d+)*)/gi;

function citedRules(text: string): number[] {
  return [...text.matchAll(CITATION)].flatMap((match) =>
    match[1].split(/\s*(?:,|and|or)\s*/).flatMap((part) => {
      const [from, to = from] = part.split(/\s*(?:-|–|to)\s*/).map(Number);
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    }),
  );
}

describe("the rule book's numbers", () => {
  it("run 1, 2, 3, … with none missing and each once, written or planned", () => {
    const numbers = numbersOf(/^(?:### |- )Rule (\d+): /gm);

    expect(numbers.length).toBeGreaterThan(0);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
  });

  it("are written in ascending order", () => {
    const numbers = numbersOf(/^### Rule (\d+): /gm);

    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });
});

describe("rules cited in code, tests and the README", () => {
  it("are written in the book (a planned rule gets its text when its feature lands)", () => {
    const unwritten = sources.flatMap((file) =>
      [...new Set(citedRules(read(file)))]
        .filter((n) => !written.has(n))
        .map((n) => `${file}: rule ${n} ${planned.has(n) ? "is only planned in the book: write it" : "is not in the book"}`),
    );

    expect(unwritten).toEqual([]);
  });

  it("come with the book's path in every file that cites one", () => {
    const unpointed = sources.filter((file) => citedRules(read(file)).length > 0 && !read(file).includes(BOOK));

    expect(unpointed).toEqual([]);
  });

  it("point at the book and at nothing outside the repository", () => {
    const self = path.relative(root, __filename);
    const stale = sources.filter((file) => file !== self && /ALLOCATION-RULES|\.\.\/shared\b/.test(read(file)));

    expect(stale).toEqual([]);
    expect(read("README.md")).toContain(`](${BOOK})`);
  });
});

describe("rule 27 in the book", () => {
  // the first cell of each limit's row in the book's table
  const ROWS: Record<keyof typeof LIMITS, string> = {
    maxBodyBytes: "request body",
    maxTokens: "tokens in the document",
    maxDepth: "selection depth",
    maxAliases: "aliases",
    maxDirectives: "directives",
    maxCost: "cost",
    maxRepresentations: "representations",
    maxResponseBytes: "answer size",
    maxExecutionMs: "execution time",
  };

  it("states the limits that src/graphql/limits/limits.ts enforces", () => {
    const stated = Object.fromEntries(
      Object.entries(ROWS).map(([limit, label]) => {
        const row = book.split("\n").find((line) => line.startsWith(`| ${label}`));
        return [limit, row?.split("|")[2]?.includes(LIMITS[limit as keyof typeof LIMITS].toLocaleString("en-US")) ?? false];
      }),
    );

    expect(stated).toEqual(Object.fromEntries(Object.keys(ROWS).map((limit) => [limit, true])));
  });
});
