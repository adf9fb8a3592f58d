// A data set file's bytes to JSON values, streamed: UTF-8 only (a byte order mark is allowed), every
// problem placed by line and column. The top-level object is split here and each record of its lists
// is parsed on its own (by JSON.parse, in C++), so no more than one read chunk and one record is held.
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { isSection, type Section } from "./validate";

/** What the file holds, as it streams by: each record of a top-level list, and every other top-level value. */
export type Piece =
  | { kind: "record"; section: Section; index: number; value: unknown }
  /** A top-level key that is not a list of records (version, an unknown key, a list key whose value is not an array). */
  | { kind: "value"; key: string; value: unknown }
  /** A list of records has begun (so the top level has it, even when it is empty). */
  | { kind: "list"; key: Section }
  /** The file is not an object: its whole value, for the schema to say so. */
  | { kind: "root"; value: unknown };

const READ_CHUNK = 1 << 20;
const REPLACEMENT = Buffer.from("\uFFFD");

/**
 * Reads the file in chunks of 1 MiB and hands each piece to `onPieces` (awaited before the next chunk is read);
 * `onBytes` hears how far it got. Throws UnreadableDataset at the first bad byte or syntax error.
 */
export async function readDatasetFile(
  file: string,
  onPieces: (pieces: Piece[]) => Promise<void> | void,
  onBytes: (read: number, total: number) => void = () => {},
): Promise<void> {
  const total = (await stat(file)).size;
  const splitter = new Splitter();
  let carry = Buffer.alloc(0);
  let read = 0;
  let first = true;
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    read += chunk.length;
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    // a character cut by the chunk's end waits for the next chunk
    const end = completeUtf8(bytes);
    carry = Buffer.from(bytes.subarray(end));
    let text = decode(bytes.subarray(0, end), splitter, read - carry.length - end);
    if (first && text.length > 0) {
      text = text.startsWith("\uFEFF") ? text.slice(1) : text;
      first = false;
    }
    splitter.push(text);
    await onPieces(splitter.take());
    onBytes(read, total);
  }
  if (carry.length > 0) decode(carry, splitter, read - carry.length);
  splitter.end();
  await onPieces(splitter.take());
}

/** The file is not UTF-8 or not JSON: the message says where. */
export class UnreadableDataset extends Error {}

/** Where in `bytes` the last complete UTF-8 character ends (a cut one is at most 3 bytes long). */
function completeUtf8(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length <= bytes.length ? bytes.length : i;
  }
  return bytes.length;
}

function decode(bytes: Buffer, splitter: Splitter, offset: number): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  // decoding turns the first invalid sequence into U+FFFD; a U+FFFD the file spells out (EF BF BD) is valid
  const text = bytes.toString("utf8");
  let at = 0;
  for (let i = text.indexOf("\uFFFD"), from = 0; i >= 0; from = i, i = text.indexOf("\uFFFD", i + 1)) {
    at += Buffer.byteLength(text.slice(from, i));
    if (!bytes.subarray(at, at + REPLACEMENT.length).equals(REPLACEMENT)) {
      throw new UnreadableDataset(`is not valid UTF-8: ${splitter.positionAfter(text.slice(0, i))} (byte ${offset + at})`);
    }
  }
  throw new UnreadableDataset(`is not valid UTF-8: byte ${offset + bytes.length}`);
}

const enum State {
  BeforeRoot,
  BeforeKey,
  BeforeKeyOrEnd,
  InKey,
  AfterKey,
  BeforeValue,
  BeforeItem,
  BeforeItemOrEnd,
  AfterItem,
  AfterValue,
  AfterRoot,
}

// the characters the splitter looks at
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

/**
 * Splits `{ "key": value, … }` into its values, and the values that are arrays into their items,
 * holding only the text of the value being read. Checks the syntax of the top level itself; each
 * value's own syntax is JSON.parse's, whose position is translated to the file's line and column.
 */
class Splitter {
  private state = State.BeforeRoot;
  private pieces: Piece[] = [];
  // where the splitter is: line and the offset of the line's start, in characters since the file's start
  private line = 1;
  private lineStart = 0;
  private offset = 0;
  private key = "";
  private keyEscaped = false;
  private section: Section | undefined;
  private index = 0;
  private readonly seen = new Set<string>();
  // the value being read: its text so far, where it started, how deep it is, whether in a string
  private value: { parts: string[]; line: number; column: number; depth: number; inString: boolean; escaped: boolean; scalar: boolean } | undefined;

  take(): Piece[] {
    const pieces = this.pieces;
    this.pieces = [];
    return pieces;
  }

  /** The line and column just after `text`, were it pushed now (for a bad byte). */
  positionAfter(text: string): string {
    const nl = text.lastIndexOf("\n");
    const line = this.line + countNewlines(text, text.length);
    const column = nl >= 0 ? text.length - nl : this.offset - this.lineStart + text.length + 1;
    return `line ${line}, column ${column}`;
  }

  push(text: string): void {
    let valueStart = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const v = this.value;
      if (v) {
        if (valueStart < 0) valueStart = i;
        if (v.inString) {
          if (v.escaped) v.escaped = false;
          else if (c === BACKSLASH) v.escaped = true;
          else if (c === QUOTE) {
            v.inString = false;
            if (v.depth === 0) {
              this.endValue(text.slice(valueStart, i + 1));
              valueStart = -1;
            }
          } else if (c === NEWLINE) this.newline(i);
          continue;
        }
        if (v.scalar && (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c))) {
          // a number, true, false or null ends at the first character that cannot be part of it
          this.endValue(text.slice(valueStart, i));
          valueStart = -1;
          i--;
          continue;
        }
        if (c === QUOTE) v.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) v.depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (--v.depth === 0) {
            this.endValue(text.slice(valueStart, i + 1));
            valueStart = -1;
          }
        } else if (c === NEWLINE) this.newline(i);
        continue;
      }
      if (this.state === State.InKey) {
        if (this.keyEscaped) this.keyEscaped = false;
        else if (c === BACKSLASH) this.keyEscaped = true;
        else if (c === QUOTE) {
          this.endKey(i);
          continue;
        } else if (c < 0x20) this.fail(i, "Bad control character in string literal");
        this.key += text[i];
        continue;
      }
      if (isSpace(c)) {
        if (c === NEWLINE) this.newline(i);
        continue;
      }
      this.structural(c, i);
      if (this.value) valueStart = i;
    }
    if (this.value && valueStart >= 0) this.value.parts.push(text.slice(valueStart));
    this.offset += text.length;
  }

  end(): void {
    // a number at the very end of the file is still being read
    if (this.value?.scalar && this.state === State.BeforeRoot) this.endValue("");
    if (this.state !== State.AfterRoot || this.value) throw new UnreadableDataset(`is not valid JSON: Unexpected end of JSON input (${this.here(0)})`);
  }

  private structural(c: number, i: number): void {
    switch (this.state) {
      case State.BeforeRoot:
        if (c === OPEN_BRACE) this.state = State.BeforeKeyOrEnd;
        else this.startValue(c, i);
        return;
      case State.BeforeKey:
      case State.BeforeKeyOrEnd:
        if (c === QUOTE) {
          this.key = "";
          this.state = State.InKey;
        } else if (c === CLOSE_BRACE && this.state === State.BeforeKeyOrEnd) this.state = State.AfterRoot;
        else this.unexpected(c, i);
        return;
      case State.AfterKey:
        if (c === COLON) this.state = State.BeforeValue;
        else this.unexpected(c, i);
        return;
      case State.BeforeValue:
        if (c === OPEN_BRACKET && isSection(this.key)) {
          this.section = this.key;
          this.index = 0;
          this.pieces.push({ kind: "list", key: this.key });
          this.state = State.BeforeItemOrEnd;
        } else this.startValue(c, i);
        return;
      case State.BeforeItem:
      case State.BeforeItemOrEnd:
        if (c === CLOSE_BRACKET && this.state === State.BeforeItemOrEnd) {
          this.section = undefined;
          this.state = State.AfterValue;
        } else this.startValue(c, i);
        return;
      case State.AfterItem:
        if (c === COMMA) this.state = State.BeforeItem;
        else if (c === CLOSE_BRACKET) {
          this.section = undefined;
          this.state = State.AfterValue;
        } else this.unexpected(c, i);
        return;
      case State.AfterValue:
        if (c === COMMA) this.state = State.BeforeKey;
        else if (c === CLOSE_BRACE) this.state = State.AfterRoot;
        else this.unexpected(c, i);
        return;
      default:
        this.unexpected(c, i);
    }
  }

  private endKey(i: number): void {
    let key: string;
    try {
      key = JSON.parse(`"${this.key}"`) as string;
    } catch (error) {
      this.fail(i, (error as Error).message.replace(/ in JSON at position \d+.*$/, ""));
    }
    if (this.seen.has(key)) this.fail(i, `Duplicate key ${JSON.stringify(key)}`);
    this.seen.add(key);
    this.key = key;
    this.state = State.AfterKey;
  }

  private startValue(c: number, i: number): void {
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === COMMA || c === COLON) this.unexpected(c, i);
    const scalar = c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET;
    const depth = c === OPEN_BRACE || c === OPEN_BRACKET ? 1 : 0;
    this.value = { parts: [], line: this.line, column: this.offset + i - this.lineStart + 1, depth, inString: c === QUOTE, escaped: false, scalar };
  }

  private endValue(last: string): void {
    const v = this.value!;
    this.value = undefined;
    v.parts.push(last);
    const text = v.parts.length === 1 ? v.parts[0] : v.parts.join("");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UnreadableDataset(`is not valid JSON: ${jsonMessage(error as Error, text, v.line, v.column)}`);
    }
    if (this.section) {
      this.pieces.push({ kind: "record", section: this.section, index: this.index++, value });
      this.state = State.AfterItem;
    } else if (this.state === State.BeforeRoot) {
      this.pieces.push({ kind: "root", value });
      this.state = State.AfterRoot;
    } else {
      this.pieces.push({ kind: "value", key: this.key, value });
      this.state = State.AfterValue;
    }
  }

  private newline(i: number): void {
    this.line++;
    this.lineStart = this.offset + i + 1;
  }

  private here(i: number): string {
    return `line ${this.line}, column ${this.offset + i - this.lineStart + 1}`;
  }

  private unexpected(c: number, i: number): never {
    return this.fail(i, `Unexpected token '${String.fromCharCode(c)}'`);
  }

  private fail(i: number, message: string): never {
    throw new UnreadableDataset(`is not valid JSON: ${message} (${this.here(i)})`);
  }
}

// V8 gives a character offset in the value (newer versions add its line, older ones sometimes no offset)
function jsonMessage(error: Error, text: string, line: number, column: number): string {
  const offset = /at position (\d+)/.exec(error.message);
  const message = error.message.replace(/ in JSON at position \d+.*$/, "").replace(/, ".*" is not valid JSON$/s, "");
  if (!offset) return `${message} (in the value that starts at line ${line}, column ${column})`;
  const at = Number(offset[1]);
  const before = text.slice(0, at);
  const nl = before.lastIndexOf("\n");
  const position = nl >= 0 ? `line ${line + countNewlines(before, at)}, column ${at - nl}` : `line ${line}, column ${column + at}`;
  return `${message} (${position})`;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
