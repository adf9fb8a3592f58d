export interface Problem {
  /** JSON path of the offending value, e.g. $.carrierServices[3].maxWeightKg */
  path: string;
  message: string;
}

/** $.a[0]["x/y"] from ["a", 0, "x/y"]; digit strings (as ajv gives indices) are indices too. */
export function jsonPath(segments: (string | number)[]): string {
  return segments.reduce<string>((path, s) => {
    if (typeof s === "number" || /^\d+$/.test(s)) return `${path}[${s}]`;
    return /^[A-Za-z_$][\w$]*$/.test(s) ? `${path}.${s}` : `${path}[${JSON.stringify(s)}]`;
  }, "$");
}

/** An import found problems in its data set, so it wrote nothing. */
export class DatasetRejected extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  }
}
