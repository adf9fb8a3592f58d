// Issue 12's ceiling target over the recorded runs (bench/history.ts): each reference judged per run on its
// median over rounds, and counted only in the runs that measured it.
import { describe, expect, it } from "vitest";
import { ceilingHistory, type RecordedRun } from "../../bench/history";
import type { LoadResult } from "../../bench/load";
import type { Round } from "../../bench/scenarios";

const at = (rps: number) => ({ rps }) as LoadResult;

/** One allocation round: the subgraph, baseline and floor at these req/s against a ceiling of 1,000. */
function round(subgraph: number, baseline: number, floor?: number): Round {
  return { subgraph: at(subgraph), baseline: at(baseline), minimalCeiling: at(1000), ...(floor ? { httpFloor: at(floor) } : {}), statements: {} };
}

function run(file: string, rounds: Round[], extra: Partial<RecordedRun> = {}): RecordedRun {
  return { file, results: [{ scenario: "allocate", store: "postgres", kind: "throughput", rounds }], ...extra };
}

describe("the ceiling target over recorded runs", () => {
  it("judges each run on the median of its rounds, and counts the runs that reached the goal", () => {
    // Arrange: one run whose median subgraph round misses the goal though one round passes it, one that reaches it
    const runs = [
      run("2026-12-02T09-00.json", [round(550, 700, 750), round(640, 640, 700), round(590, 660, 720)]),
      run("2026-12-02T10-00.json", [round(600, 590, 800), round(610, 580, 810), round(620, 700, 820)]),
    ];

    // Act
    const history = ceilingHistory(runs);

    // Assert
    expect(history.rows.map((row) => row.ratios)).toEqual([
      { subgraph: 0.59, baseline: 0.66, httpFloor: 0.72 },
      { subgraph: 0.61, baseline: 0.59, httpFloor: 0.81 },
    ]);
    expect(history.held).toEqual({ subgraph: { runs: 1, of: 2 }, baseline: { runs: 1, of: 2 }, httpFloor: { runs: 2, of: 2 } });
  });

  it("counts a reference only in the runs that measured it, oldest run first", () => {
    // Arrange: the later run has no HTTP floor (the bench measured none before session 8)
    const runs = [run("b.json", [round(500, 600)]), run("a.json", [round(700, 700, 900)])];

    // Act
    const history = ceilingHistory(runs);

    // Assert
    expect(history.rows.map((row) => [row.file, row.ratios.httpFloor])).toEqual([["a.json", 0.9], ["b.json", undefined]]);
    expect(history.held.httpFloor).toEqual({ runs: 1, of: 1 });
  });

  it("leaves out comparisons, runs without the minimal ceiling, quick runs and runs before --since", () => {
    // Arrange
    const runs: RecordedRun[] = [
      { file: "2026-12-01T00-compare-main.json" },
      run("2026-12-01T01.json", [{ ...round(500, 600), minimalCeiling: undefined }]),
      run("2026-12-01T02-quick.json", [round(700, 700, 700)], { quick: true }),
      run("2026-12-01T03.json", [round(700, 700, 700)]),
      run("2026-12-02T04.json", [round(650, 700, 700)], { commit: "831e92b" }),
    ];

    // Act
    const all = ceilingHistory(runs);
    const since = ceilingHistory(runs, { since: "2026-12-02" });
    const withQuick = ceilingHistory(runs, { quick: true });

    // Assert
    expect(all.rows.map((row) => row.file)).toEqual(["2026-12-01T03.json", "2026-12-02T04.json"]);
    expect(since.rows).toEqual([{ file: "2026-12-02T04.json", commit: "831e92b", rounds: 1, ratios: { subgraph: 0.65, baseline: 0.7, httpFloor: 0.7 } }]);
    expect(withQuick.rows).toHaveLength(3);
  });
});
