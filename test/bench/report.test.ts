// The bench's verdicts (bench/report.ts): a target is judged on the median of its rounds, and what is
// printed beside the verdict never reads as the opposite of it.
import { describe, expect, it } from "vitest";
import { roundsTarget } from "../../bench/report";

describe("a target measured once per round", () => {
  it("is judged on the median of its rounds", () => {
    // Arrange
    const rounds = [0.52, 0.61, 0.64];

    // Act
    const target = roundsTarget(12, "allocation vs the minimal ceiling", { atLeast: 0.6 }, "×", rounds);

    // Assert
    expect(target).toMatchObject({ value: 0.61, min: 0.52, max: 0.64, held: true, measured: "0.61 (0.52–0.64)×" });
  });

  it("shows a median that misses the goal but rounds to it with the digit that decides", () => {
    // Arrange: 0.597 would print as 0.60 beside a ✘, and 1.251 as 1.25
    const under = [0.5965, 0.52, 0.641];
    const over = [1.251, 1.3, 1.2];

    // Act
    const least = roundsTarget(12, "allocation vs the minimal ceiling", { atLeast: 0.6 }, "×", under);
    const most = roundsTarget(11, "labels vs carrierService", { atMost: 1.25 }, "×", over);

    // Assert
    expect(least).toMatchObject({ held: false, measured: "0.597 (0.520–0.641)×" });
    expect(most).toMatchObject({ held: false, measured: "1.251 (1.200–1.300)×" });
  });

  it("keeps its digits when the rounded median already tells the verdict", () => {
    // Arrange
    const below = [0.55, 0.56, 0.57];
    const above = [1.27, 1.3, 1.2];

    // Act
    const least = roundsTarget(12, "at least", { atLeast: 0.6 }, "×", below);
    const most = roundsTarget(11, "at most", { atMost: 1.25 }, "×", above);

    // Assert
    expect(least).toMatchObject({ held: false, measured: "0.56 (0.55–0.57)×" });
    expect(most).toMatchObject({ held: false, measured: "1.27 (1.20–1.30)×" });
  });
});
