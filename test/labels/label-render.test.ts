// Rule numbers: docs/allocation-rules.md
// Rule 20: a label is byte-stable, so a label asked for again is served as drawn the first time; what it
// prints decides which drawing it gets, and the drawings kept are bounded in bytes.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { LabelData } from "../../src/labels/label.data";
import { renderLabel } from "../../src/labels/label.render";

const draws = vi.hoisted(() => ({ pdf: 0, zpl: 0 }));
vi.mock("../../src/labels/label.pdf", async (original) => {
  const real = await original<typeof import("../../src/labels/label.pdf")>();
  return { ...real, renderPdf: (label: LabelData) => (draws.pdf++, real.renderPdf(label)) };
});
vi.mock("../../src/labels/label.zpl", async (original) => {
  const real = await original<typeof import("../../src/labels/label.zpl")>();
  return { ...real, renderZpl: (label: LabelData) => (draws.zpl++, real.renderZpl(label)) };
});

const label = (overrides: Partial<LabelData> = {}): LabelData => ({
  carrierName: "FedEx",
  serviceName: "Line Haul",
  trackingReference: "19297253",
  shipmentReference: "sp_00802615769404976542730318118912",
  destination: ["Ada Lovelace", "10 Downing Street", "London", "SW1A 2AA", "United Kingdom"],
  origin: ["Warehouse 3", "Leeds", "LS1 4DY", "United Kingdom"],
  weight: "2 kg",
  date: "2026-12-01",
  allocatedAt: new Date("2026-12-01T09:30:00Z"),
  ...overrides,
});

describe("rule 20: a label drawn once, kept while memory allows", () => {
  beforeEach(() => {
    draws.pdf = 0;
    draws.zpl = 0;
  });

  it("the same label asked for again is the same bytes, drawn once", async () => {
    const data = label({ trackingReference: "TR-same" });

    const first = await renderLabel("pdf", data);
    const again = await renderLabel("pdf", label({ trackingReference: "TR-same" }));

    expect(again.equals(first)).toBe(true);
    expect(draws.pdf).toBe(1);
  });

  it.each<[string, Partial<LabelData>]>([
    ["tracking reference", { trackingReference: "TR-other" }],
    ["destination", { destination: ["Grace Hopper", "1 Navy Way", "Arlington", "VA 22202", "United States"] }],
    ["allocation moment", { allocatedAt: new Date("2026-12-02T09:30:00Z") }],
  ])("a label that prints another %s is drawn anew", async (what, change) => {
    const before = await renderLabel("pdf", label({ shipmentReference: `sp_${what}` }));

    const after = await renderLabel("pdf", label({ shipmentReference: `sp_${what}`, ...change }));

    expect(after.equals(before)).toBe(false);
    expect(draws.pdf).toBe(2);
  });

  it("each format is drawn in its own format", async () => {
    const data = label({ trackingReference: "TR-formats" });

    const pdf = await renderLabel("pdf", data);
    const zpl = await renderLabel("zpl", data);

    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(zpl.toString()).toMatch(/^\^XA/);
    expect([draws.pdf, draws.zpl]).toEqual([1, 1]);
  });

  it("the labels kept are bounded in bytes: past about 8 MB of them, the oldest is drawn again", async () => {
    const first = label({ trackingReference: "TR-000000" });
    await renderLabel("zpl", first);
    // each ZPL label with its key is well under 2 kB: 6,000 of them pass 8 MB
    for (let i = 1; i <= 6_000; i++) await renderLabel("zpl", label({ trackingReference: `TR-${String(i).padStart(6, "0")}`, destination: [`${"x".repeat(400)}`] }));
    const drawnSoFar = draws.zpl;

    await renderLabel("zpl", first);

    expect(draws.zpl).toBe(drawnSoFar + 1);
  });
});
