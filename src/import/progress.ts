// How far an import has got, for the operator: a bar redrawn in place on a terminal, plain lines
// otherwise (a log file or CI keeps every line, so they come every 10% or 5 seconds only).
// Hand-written: a one-line bar is less code than wiring a progress-bar package, and nothing else needs one.

/** reading: bytes of the file; writing: shipments stored. */
export type ImportPhase = "reading" | "writing";
export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void;

/** Where progress goes: stderr, so that stdout keeps only the summary. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Reporter {
  progress: ImportProgress;
  /** Finishes the bar's line (before the summary or an error is written). */
  end: () => void;
}

const BAR_REDRAW_MS = 100;
const LINE_EVERY_MS = 5_000;
const LINE_EVERY_PERCENT = 10;

/** Progress on `stream`. */
export function progressReporter(stream: ProgressStream, now: () => number = Date.now): Reporter {
  return stream.isTTY ? barReporter(stream, now) : lineReporter(stream, now);
}

function barReporter(stream: ProgressStream, now: () => number): Reporter {
  let current: { phase: ImportPhase; drawnAt: number; percent: number } | undefined;
  const end = () => {
    if (current) stream.write("\n");
    current = undefined;
  };
  const progress: ImportProgress = (phase, done, total) => {
    if (current && current.phase !== phase) end();
    const percent = percentOf(done, total);
    const t = now();
    // a redraw costs a write: only when the figure moved, and not more than 10 times a second
    if (current && (percent === current.percent || t - current.drawnAt < BAR_REDRAW_MS) && done < total) return;
    const label = `${LABELS[phase].padEnd(18)} ${String(percent).padStart(3)}% ${amount(phase, done, total)}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 4));
    const filled = Math.round((width * percent) / 100);
    stream.write(`\r[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${label}\x1b[K`);
    current = { phase, drawnAt: t, percent };
  };
  return { progress, end };
}

function lineReporter(stream: ProgressStream, now: () => number): Reporter {
  let current: { phase: ImportPhase; writtenAt: number; step: number; finished: boolean } | undefined;
  const progress: ImportProgress = (phase, done, total) => {
    const percent = percentOf(done, total);
    const step = Math.floor(percent / LINE_EVERY_PERCENT);
    const t = now();
    if (current?.phase === phase && (current.finished || (step === current.step && t - current.writtenAt < LINE_EVERY_MS))) return;
    stream.write(`${LABELS[phase]}: ${percent}% (${amount(phase, done, total)})\n`);
    current = { phase, writtenAt: t, step, finished: done >= total };
  };
  return { progress, end: () => {} };
}

const LABELS: Record<ImportPhase, string> = { reading: "reading the file", writing: "writing shipments" };

function percentOf(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100;
}

function amount(phase: ImportPhase, done: number, total: number): string {
  if (phase === "writing") return `${done.toLocaleString("en")} of ${total.toLocaleString("en")}`;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  return `${mb(done)} of ${mb(total)} MB`;
}
