// A data set file's bytes to a JSON value: UTF-8 only (a byte order mark is allowed), every problem
// placed by line and column.
import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const REPLACEMENT = Buffer.from("\uFFFD");

/** Reads and parses the file, holding its text once: no copy of its bytes outlives the read. */
export function readDatasetFile(file: string): Parsed {
  // decoded as it is read (in C++, with U+FFFD for what is not UTF-8): no Buffer of the whole file is left to collect
  const decoded = readFileSync(file, "utf8");
  const text = decoded.startsWith("\uFEFF") ? decoded.slice(1) : decoded;
  // a U+FFFD may be in the file itself; only then are the bytes read again, to tell
  if (text.includes("\uFFFD")) {
    const bytes = readFileSync(file);
    if (!isUtf8(bytes)) return { ok: false, message: `is not valid UTF-8: ${firstInvalidByte(bytes)}` };
  }
  return parseJson(text);
}

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    // V8 reports a character offset (newer versions add the line, older ones sometimes no offset)
    const offset = /at position (\d+)/.exec(message);
    if (!offset || /\bline \d+/.test(message)) return { ok: false, message: `is not valid JSON: ${message}` };
    return { ok: false, message: `is not valid JSON: ${message} (${lineAndColumn(text, Number(offset[1]))})` };
  }
}

function firstInvalidByte(bytes: Buffer): string {
  // decoding turns the first invalid sequence into U+FFFD; a U+FFFD the file spells out (EF BF BD) is valid
  const text = bytes.toString("utf8");
  let offset = 0;
  for (let i = text.indexOf("\uFFFD"), from = 0; i >= 0; from = i, i = text.indexOf("\uFFFD", i + 1)) {
    offset += Buffer.byteLength(text.slice(from, i));
    if (!bytes.subarray(offset, offset + REPLACEMENT.length).equals(REPLACEMENT)) return `${lineAndColumn(text, i)} (byte ${offset})`;
  }
  return `byte ${bytes.length}`;
}

function lineAndColumn(text: string, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf("\n"); nl >= 0 && nl < index; nl = text.indexOf("\n", nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return `line ${line}, column ${index - lineStart + 1}`;
}
