// What `npm run import` shows while it writes: a progress bar on a terminal, a plain line per tenth
// of the records otherwise (a log file gets no control characters), on stderr either way.
import { Presets, SingleBar } from "cli-progress";

const RECORD_KINDS = ["accounts", "carriers", "carrierServices", "serviceGroups", "shipments"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const LABELS: Record<RecordKind, string> = {
  accounts: "accounts",
  carriers: "carriers",
  carrierServices: "carrier services",
  serviceGroups: "service groups",
  shipments: "shipments",
};

export interface ImportProgress {
  /** Called once, with the number of records of each kind about to be written. */
  start(totals: Record<RecordKind, number>): void;
  /** `records` more of this kind are written. */
  advance(kind: RecordKind, records: number): void;
  stop(): void;
}

export const noProgress: ImportProgress = { start() {}, advance() {}, stop() {} };

/** A bar when the stream is a terminal, else plain lines. */
export function progressOn(stream: NodeJS.WriteStream): ImportProgress {
  return stream.isTTY ? progressBar(stream) : progressLines((line) => stream.write(`${line}\n`));
}

function progressBar(stream: NodeJS.WriteStream): ImportProgress {
  const bar = new SingleBar({ stream, format: "Importing [{bar}] {percentage}% | {value}/{total} records | {kind}", hideCursor: true }, Presets.shades_classic);
  return {
    start: (totals) => bar.start(sum(totals), 0, { kind: "" }),
    advance: (kind, records) => bar.increment(records, { kind: LABELS[kind] }),
    stop: () => bar.stop(),
  };
}

/** A line each time another tenth of the records is written. */
export function progressLines(write: (line: string) => void): ImportProgress {
  let total = 0;
  let done = 0;
  let tenthsShown = 0;
  return {
    start(totals) {
      total = sum(totals);
    },
    advance(kind, records) {
      if (total === 0) return;
      done += records;
      const tenths = Math.floor((done * 10) / total);
      if (tenths <= tenthsShown) return;
      tenthsShown = tenths;
      write(`Importing: ${tenths * 10}% (${done} of ${total} records; now ${LABELS[kind]})`);
    },
    stop() {},
  };
}

function sum(totals: Record<RecordKind, number>): number {
  return RECORD_KINDS.reduce((n, kind) => n + totals[kind], 0);
}

export interface KindCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The closing summary: per record kind, what was inserted, updated and left unchanged. */
export function describeCounts(counts: Record<RecordKind, KindCounts>, notes: Partial<Record<RecordKind, string>> = {}): string {
  const width = Math.max(...RECORD_KINDS.map((kind) => LABELS[kind].length)) + 1;
  return RECORD_KINDS.map((kind) => {
    const { inserted, updated, unchanged } = counts[kind];
    const note = notes[kind] ? ` (${notes[kind]})` : "";
    return `  ${`${LABELS[kind]}:`.padEnd(width)} ${inserted} inserted, ${updated} updated, ${unchanged} unchanged${note}`;
  }).join("\n");
}
