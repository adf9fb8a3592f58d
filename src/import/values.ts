// What JSON allows but nothing after parsing can take: containers nested deeper than any data set
// needs (recursive steps would overflow the stack), and strings PostgreSQL cannot store.
import { jsonPath, type Problem } from "./problem";

/** A data set nests 5 levels ($.shipments[0].contents[0].value); the rest is headroom. */
const MAX_DEPTH = 32;
// NUL, which PostgreSQL text cannot hold, and (with the u flag only unpaired) surrogates, which are not Unicode
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Every such value, keys included, with its JSON path, in document order; `at` is where the value sits in the file. */
export function unstorableValues(value: unknown, at: (string | number)[] = []): Problem[] {
  const problems: Problem[] = [];
  walk(value, [...at], problems);
  return problems;
}

// recursion stops at MAX_DEPTH, so the stack stays shallow whatever the input
function walk(value: unknown, segments: (string | number)[], problems: Problem[]): void {
  if (typeof value === "string") {
    if (UNSTORABLE.test(value)) problems.push({ path: jsonPath(segments), message: textMessage(value) });
    return;
  }
  if (typeof value !== "object" || value === null) return;
  if (segments.length >= MAX_DEPTH) {
    problems.push({ path: jsonPath(segments), message: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => descend(item, i, segments, problems));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) problems.push({ path: jsonPath([...segments, key]), message: `its name ${textMessage(key)}` });
    descend(item, key, segments, problems);
  }
}

function descend(item: unknown, key: string | number, segments: (string | number)[], problems: Problem[]): void {
  segments.push(key);
  walk(item, segments, problems);
  segments.pop();
}

function textMessage(text: string): string {
  return text.includes("\u0000")
    ? "must not contain the NUL character (\\u0000)"
    : "must not contain an unpaired surrogate (\\ud800-\\udfff): it is not Unicode text";
}
