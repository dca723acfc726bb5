/**
 * Incremental reading of Airflow's JSON log answer, `{"content": "<repr>", "continuation_token": "…"}`.
 *
 * A finished try's log comes back in one answer that can be hundreds of MB, so instead of
 * `JSON.parse` followed by {@link parseLogContent}, {@link createLogBodyParser} reads the decoded
 * response text piece by piece and gives back the log text of each piece as it arrives. What it
 * keeps between pieces is bounded by a few dozen characters (a half-read escape, the first 64
 * characters of the last key, the state of two small automata), plus the continuation token.
 *
 * Two layers:
 *
 * 1. A JSON scanner for one top-level object. Each key is read; `content` and
 *    `continuation_token` must hold strings; any other key may hold a string, number, `true`,
 *    `false` or `null`, which is checked and skipped (objects and arrays are refused). Inside
 *    strings, the part of a piece up to the closing quote (or up to a trailing escape cut by the
 *    end of the piece) is decoded at once with `JSON.parse`, and an escape cut by the end of a piece
 *    is kept and finished with the next piece, so a piece may end anywhere, even inside `\u00`.
 * 2. The decoded characters of `content` go to an incremental parser of the Python repr of a list
 *    of `(host, text)` tuples with exactly the grammar, escapes and error cases of
 *    {@link parseLogContent}. Hosts are checked and dropped; texts are given out as they are
 *    decoded, the texts of successive tuples separated by `"\n"` as {@link joinLogBlocks} does.
 *
 * So the texts returned by `push` over a whole answer, concatenated, equal
 * `joinLogBlocks(parseLogContent(JSON.parse(answer).content))`.
 *
 * Offsets in error messages count UTF-16 code units: "offset N of the answer" from the start of
 * the text given to `push`, "offset N of the content" from the start of the decoded `content`
 * value (the offset {@link parseLogContent} would name). Error messages do not depend on how the
 * answer was cut into pieces.
 */
import { AirflowError } from "../errors.js";
// Type-only, for the links in the documentation above.
import type { joinLogBlocks, parseLogContent } from "./repr.js";

/** Incremental parser of one JSON log answer; see {@link createLogBodyParser}. */
export interface LogBodyParser {
  /** Feeds the next piece of the decoded response text; returns the log text decoded from it (may be ""). */
  push(chunk: string): string;
  /** Ends the input; throws if the JSON or the repr is incomplete; returns the continuation token. */
  end(): { token: string };
}

/**
 * Makes a parser for one JSON log answer of Airflow 2.x. Feed it the response text in pieces of
 * any size (cut anywhere, even inside an escape or between the two halves of a surrogate pair)
 * with `push`, which returns the log text the piece completed, then call `end`, which returns the
 * continuation token.
 *
 * Throws {@link AirflowError} on a malformed answer, naming what is wrong and where: an answer
 * that is not one JSON object, `content` or `continuation_token` that is not a string or is
 * missing (checked by `end`), `content` or `continuation_token` given twice (`JSON.parse` would keep
 * the last; text already returned cannot be taken back), an object or array as the value of another
 * key, anything but whitespace after the object, a `content` value that {@link parseLogContent}
 * would refuse, and any call after `end` or after an error (which throws that error again). The
 * `push` that meets a fault throws, so the text of that piece before the fault is not returned;
 * text returned by earlier calls stays valid.
 *
 * Memory stays bounded by the size of a piece, whatever the size of the answer; the time is linear.
 */
export function createLogBodyParser(): LogBodyParser {
  return new BodyParser();
}

/** Keys longer than this are only compared as far as this (they are none of the known keys). */
const KEY_LIMIT = 64;

/** Maps an index in a piece of decoded content to the offset of its source in the answer. */
type OffsetMap = (index: number) => number;

// ---- Layer 2: the Python repr of [(host, text), ...] --------------------------------------------

const R_LIST = 0; // before '['
const R_FIRST = 1; // after '[': ']' or a tuple
const R_TUPLE = 2; // after ',' between tuples: a tuple ('(')
const R_HOST = 3; // after '(': the host string
const R_AFTER_HOST = 4; // ','
const R_TEXT = 5; // the text string
const R_AFTER_TEXT = 6; // ')'
const R_AFTER_TUPLE = 7; // ',' or ']'
const R_END = 8; // after ']': only whitespace
const R_STRING = 9; // inside a host or text string

const CODE_BACKSLASH = 0x5c;
const CODE_SINGLE_QUOTE = 0x27;
const CODE_DOUBLE_QUOTE = 0x22;

/** What a parser in each state expects next, worded as {@link parseLogContent} words it. */
const EXPECTED_IN_REPR: Record<number, string> = {
  [R_LIST]: "expected '[' opening the list of (host, text) tuples",
  [R_FIRST]: "expected '(' opening a (host, text) tuple",
  [R_TUPLE]: "expected '(' opening a (host, text) tuple",
  [R_HOST]: "expected a quoted host string",
  [R_AFTER_HOST]: "expected ',' after the host string",
  [R_TEXT]: "expected a quoted text string",
  [R_AFTER_TEXT]: "expected ')' closing the tuple (a tuple holds exactly a host and a text)",
  [R_AFTER_TUPLE]: "expected ',' or ']' after a (host, text) tuple",
  [R_END]: "unexpected text after the closing ']'",
};

/** The decoded character of a two-character repr escape, by the code of its letter. */
function simpleReprEscape(letter: number): string | undefined {
  switch (letter) {
    case 0x6e /* n */:
      return "\n";
    case CODE_BACKSLASH:
      return "\\";
    case CODE_SINGLE_QUOTE:
      return "'";
    case CODE_DOUBLE_QUOTE:
      return '"';
    case 0x74 /* t */:
      return "\t";
    case 0x72 /* r */:
      return "\r";
  }
  return undefined;
}

/** Length of the repr escape whose letter is `letter`, backslash included; 0 if not an escape. */
function reprEscapeLength(letter: number): number {
  switch (letter) {
    case 0x78 /* x */:
      return 4;
    case 0x75 /* u */:
      return 6;
    case 0x55 /* U */:
      return 10;
  }
  return simpleReprEscape(letter) === undefined ? 0 : 2;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/** Value of the hex digits `text[from..to)`, or `-1 - k` where `k` is the index of the first non-digit. */
function hexValue(text: string, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to; k++) {
    const digit = hexDigit(text.charCodeAt(k));
    if (digit < 0) return -1 - k;
    value = value * 16 + digit;
  }
  return value;
}

function quoteFound(text: string): string {
  return JSON.stringify(text);
}

class ReprStream {
  private state = R_LIST;
  /** Code of the quote that closes the string being read. */
  private quote = CODE_SINGLE_QUOTE;
  private inText = false;
  private texts = 0;
  /** Offset in the content of the first character of the next piece. */
  private base = 0;
  /** An escape cut by the end of a piece: its characters so far, where its backslash is. */
  private escape = "";
  private escapeOffset = 0;
  private escapeAnswerOffset = 0;
  /** The opening quote of the string being read. */
  private openOffset = 0;
  private openAnswerOffset = 0;
  /** Index in the current piece of the opening quote, or -1 when it was in an earlier piece. */
  private openIndex = -1;
  // Next quote / backslash at or after the scan position in the current piece (its length if
  // none; -1 if not searched yet), so each `indexOf` result is reused until the scan passes it.
  private nextSingle = -1;
  private nextDouble = -1;
  private nextBackslash = -1;

  /** Where the decoded text goes; the body parser swaps in a new array on every `push`. */
  out: string[] = [];

  /** Reads the next piece of decoded content; `map` gives the answer offset of an index in it. */
  feed(text: string, map: OffsetMap): void {
    const length = text.length;
    this.openIndex = -1;
    this.nextSingle = this.nextDouble = this.nextBackslash = -1;
    let i = 0;
    while (i < length) {
      const state = this.state;
      if (state === R_STRING) {
        i = this.scanString(text, i, map);
        continue;
      }
      const code = text.charCodeAt(i);
      // space, \t, \n, \v, \f, \r, as parseLogContent skips them
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) {
        i++;
        continue;
      }
      switch (state) {
        case R_LIST:
          if (code !== 0x5b /* [ */) throw this.failAt(state, text, i, map);
          this.state = R_FIRST;
          break;
        case R_FIRST:
        case R_TUPLE:
          if (code === 0x5d /* ] */) {
            if (state === R_TUPLE) throw this.fail("trailing ',' before ']' (Python never writes one)", text, i, map);
            this.state = R_END;
          } else if (code === 0x28 /* ( */) {
            this.state = R_HOST;
          } else {
            throw this.failAt(state, text, i, map);
          }
          break;
        case R_HOST:
        case R_TEXT:
          if (code !== CODE_SINGLE_QUOTE && code !== CODE_DOUBLE_QUOTE) throw this.failAt(state, text, i, map);
          this.inText = state === R_TEXT;
          if (this.inText && this.texts++ > 0) this.out.push("\n");
          this.quote = code;
          this.openOffset = this.base + i;
          this.openIndex = i;
          this.state = R_STRING;
          break;
        case R_AFTER_HOST:
          if (code !== 0x2c /* , */) throw this.failAt(state, text, i, map);
          this.state = R_TEXT;
          break;
        case R_AFTER_TEXT:
          if (code !== 0x29 /* ) */) throw this.failAt(state, text, i, map);
          this.state = R_AFTER_TUPLE;
          break;
        case R_AFTER_TUPLE:
          if (code === 0x5d /* ] */) this.state = R_END;
          else if (code === 0x2c /* , */) this.state = R_TUPLE;
          else throw this.failAt(state, text, i, map);
          break;
        default:
          throw this.failAt(state, text, i, map);
      }
      i++;
    }
    // The answer offset of a string's opening quote is only worked out when the string goes on
    // into the next piece (an unterminated string is reported at its start).
    if (this.state === R_STRING && this.openIndex >= 0) this.openAnswerOffset = map(this.openIndex);
    this.base += length;
  }

  /** The content string ended; `answerOffset` is where (its closing quote in the answer). */
  finish(answerOffset: number): void {
    const state = this.state;
    if (state === R_END) return;
    if (state !== R_STRING) {
      throw contentError(EXPECTED_IN_REPR[state]!, this.base, answerOffset, "end of content");
    }
    const what = this.inText ? "text" : "host";
    if (this.escape.length === 1) {
      throw contentError(
        `unterminated ${what} string`,
        this.openOffset,
        this.openAnswerOffset,
        "end of content",
        "the input ends inside an escape sequence",
      );
    }
    if (this.escape !== "") throw this.hexError(this.escape, this.escapeOffset, this.escapeAnswerOffset);
    throw contentError(
      `unterminated ${what} string`,
      this.openOffset,
      this.openAnswerOffset,
      "end of content",
      "the string starts here and its closing quote is missing",
    );
  }

  /** Reads string characters from `i`; returns where it stopped (after the closing quote, or the end). */
  private scanString(text: string, i: number, map: OffsetMap): number {
    const length = text.length;
    const out = this.out;
    const emit = this.inText;
    if (this.escape !== "") {
      i = this.continueEscape(text, i);
      if (this.escape !== "") return length;
    }
    const single = this.quote === CODE_SINGLE_QUOTE;
    for (;;) {
      let close: number;
      if (single) {
        if (this.nextSingle < i) this.nextSingle = indexOrEnd(text, "'", i);
        close = this.nextSingle;
      } else {
        if (this.nextDouble < i) this.nextDouble = indexOrEnd(text, '"', i);
        close = this.nextDouble;
      }
      if (this.nextBackslash < i) this.nextBackslash = indexOrEnd(text, "\\", i);
      const backslash = this.nextBackslash;
      const runEnd = close < backslash ? close : backslash;
      if (emit && runEnd > i) out.push(i === 0 && runEnd === length ? text : text.slice(i, runEnd));
      if (close < backslash) {
        this.state = this.inText ? R_AFTER_TEXT : R_AFTER_HOST;
        return close + 1;
      }
      if (backslash === length) return length;
      const size = reprEscapeLength(text.charCodeAt(backslash + 1));
      if (backslash + 1 < length && size === 0) {
        throw this.unsupportedEscape(text.slice(backslash, backslash + 2), this.base + backslash, map(backslash));
      }
      if (backslash + 1 >= length || backslash + size > length) {
        // Cut by the end of the piece: keep what there is, finish it with the next piece.
        this.escape = text.slice(backslash);
        this.escapeOffset = this.base + backslash;
        this.escapeAnswerOffset = map(backslash);
        return length;
      }
      if (size === 2) {
        if (emit) out.push(simpleReprEscape(text.charCodeAt(backslash + 1))!);
      } else {
        const value = hexValue(text, backslash + 2, backslash + size);
        if (value < 0 || value > 0x10ffff) {
          throw this.hexError(text.slice(backslash, backslash + size), this.base + backslash, map(backslash));
        }
        if (emit) out.push(value < 0x10000 ? String.fromCharCode(value) : String.fromCodePoint(value));
      }
      i = backslash + size;
    }
  }

  /** Adds characters from `text[i..]` to an escape begun in an earlier piece; decodes it once whole. */
  private continueEscape(text: string, i: number): number {
    let escape = this.escape;
    if (escape.length === 1) {
      const size = reprEscapeLength(text.charCodeAt(i));
      if (size === 0) throw this.unsupportedEscape("\\" + text.charAt(i), this.escapeOffset, this.escapeAnswerOffset);
    }
    const size = reprEscapeLength(escape.length === 1 ? text.charCodeAt(i) : escape.charCodeAt(1));
    const take = Math.min(size - escape.length, text.length - i);
    escape += text.slice(i, i + take);
    i += take;
    if (escape.length < size) {
      this.escape = escape;
      return i;
    }
    this.escape = "";
    if (size === 2) {
      if (this.inText) this.out.push(simpleReprEscape(escape.charCodeAt(1))!);
    } else {
      const value = hexValue(escape, 2, size);
      if (value < 0 || value > 0x10ffff) throw this.hexError(escape, this.escapeOffset, this.escapeAnswerOffset);
      if (this.inText) this.out.push(value < 0x10000 ? String.fromCharCode(value) : String.fromCodePoint(value));
    }
    return i;
  }

  private unsupportedEscape(escape: string, offset: number, answerOffset: number): AirflowError {
    return contentError(
      `unsupported escape sequence ${JSON.stringify(escape)} in the ${this.inText ? "text" : "host"} string ` +
        "(Python's repr() only writes \\\\ \\' \\\" \\n \\t \\r \\x \\u \\U)",
      offset,
      answerOffset,
      quoteFound(escape),
    );
  }

  /** A \x, \u or \U escape with a non-hex digit, too few digits before the end, or beyond U+10FFFF. */
  private hexError(escape: string, offset: number, answerOffset: number): AirflowError {
    const prefix = escape.slice(0, 2);
    const digits = reprEscapeLength(escape.charCodeAt(1)) - 2;
    const value = hexValue(escape, 2, escape.length);
    if (value >= 0 && escape.length === digits + 2) {
      return contentError(
        `\\U escape beyond U+10FFFF in the ${this.inText ? "text" : "host"} string`,
        offset,
        answerOffset,
        quoteFound(escape),
      );
    }
    const found = value < 0 ? quoteFound(escape.slice(0, -value)) : "end of content";
    return contentError(`bad ${JSON.stringify(prefix)} escape: expected ${digits} hex digits`, offset, answerOffset, found);
  }

  private failAt(state: number, text: string, i: number, map: OffsetMap): AirflowError {
    return this.fail(EXPECTED_IN_REPR[state]!, text, i, map);
  }

  private fail(problem: string, text: string, i: number, map: OffsetMap): AirflowError {
    return contentError(problem, this.base + i, map(i), quoteFound(text.charAt(i)));
  }
}

function indexOrEnd(text: string, char: string, from: number): number {
  const found = text.indexOf(char, from);
  return found === -1 ? text.length : found;
}

function contentError(problem: string, offset: number, answerOffset: number, found: string, detail?: string): AirflowError {
  return new AirflowError(
    `Malformed Airflow log content: ${problem} at offset ${offset} of the content, offset ${answerOffset} of the answer` +
      `${detail ? ` (${detail})` : ""}; found ${found}`,
  );
}

// ---- Layer 1: the JSON object ---------------------------------------------------------------------

const J_OBJECT = 0; // before '{'
const J_FIRST_KEY = 1; // after '{': a key or '}'
const J_KEY = 2; // after ',': a key
const J_COLON = 3;
const J_VALUE = 4;
const J_STRING = 5; // inside a key or string value
const J_LITERAL = 6; // inside a number, true, false or null
const J_AFTER_VALUE = 7; // ',' or '}'
const J_DONE = 8; // after '}': only whitespace

// What the string being read is.
const S_KEY = 0;
const S_CONTENT = 1;
const S_TOKEN = 2;
const S_OTHER = 3;

// States of the number automaton (RFC 8259 grammar); the accepting ones may end the number.
const N_MINUS = 0;
const N_ZERO = 1; // accepting
const N_INT = 2; // accepting
const N_DOT = 3;
const N_FRACTION = 4; // accepting
const N_E = 5;
const N_E_SIGN = 6;
const N_EXPONENT = 7; // accepting

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Next state of the number automaton after `code`, -1 when `code` ends the number, -2 when it is wrong. */
function numberStep(state: number, code: number): number {
  const digit = isDigit(code);
  switch (state) {
    case N_MINUS:
      return code === 0x30 ? N_ZERO : digit ? N_INT : -2;
    case N_ZERO:
    case N_INT:
      if (digit) return state === N_INT ? N_INT : -2;
      if (code === 0x2e /* . */) return N_DOT;
      if (code === 0x65 || code === 0x45 /* e E */) return N_E;
      return -1;
    case N_DOT:
      return digit ? N_FRACTION : -2;
    case N_FRACTION:
      if (digit) return N_FRACTION;
      if (code === 0x65 || code === 0x45) return N_E;
      return -1;
    case N_E:
      if (code === 0x2b || code === 0x2d /* + - */) return N_E_SIGN;
      return digit ? N_EXPONENT : -2;
    case N_E_SIGN:
      return digit ? N_EXPONENT : -2;
    default:
      return digit ? N_EXPONENT : -1;
  }
}

function isAcceptingNumber(state: number): boolean {
  return state === N_ZERO || state === N_INT || state === N_FRACTION || state === N_EXPONENT;
}

/** Code unit of a JSON escape letter (`\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t`), -1 for others (and `u`). */
function simpleJsonEscape(letter: number): number {
  switch (letter) {
    case 0x22:
    case 0x5c:
    case 0x2f:
      return letter;
    case 0x62 /* b */:
      return 0x08;
    case 0x66 /* f */:
      return 0x0c;
    case 0x6e /* n */:
      return 0x0a;
    case 0x72 /* r */:
      return 0x0d;
    case 0x74 /* t */:
      return 0x09;
  }
  return -1;
}

function jsonError(problem: string, offset: number, found: string, detail?: string): AirflowError {
  return new AirflowError(
    `Malformed Airflow log answer: ${problem} at offset ${offset}${detail ? ` (${detail})` : ""}; found ${found}`,
  );
}

/**
 * Maps an index in the decoded text of `chunk[from..to)` (a run of JSON string characters with
 * only whole escapes) to the answer offset of the character or escape it came from.
 */
function regionMap(chunk: string, from: number, to: number, chunkOffset: number): OffsetMap {
  return (index) => {
    let i = from;
    let decoded = 0;
    for (;;) {
      let backslash = chunk.indexOf("\\", i);
      if (backslash === -1 || backslash >= to) backslash = to;
      if (index - decoded < backslash - i || backslash === to) return chunkOffset + i + (index - decoded);
      decoded += backslash - i;
      if (decoded === index) return chunkOffset + backslash;
      decoded++;
      i = backslash + (chunk.charCodeAt(backslash + 1) === 0x75 /* u */ ? 6 : 2);
    }
  };
}

class BodyParser implements LogBodyParser {
  private readonly repr = new ReprStream();
  private state = J_OBJECT;
  /** Offset in the answer of the first character of the current chunk. */
  private base = 0;
  private stringKind = S_KEY;
  private stringStart = 0;
  /** A JSON escape cut by the end of a chunk, and the answer offset of its backslash. */
  private escape = "";
  private escapeOffset = 0;
  /** The last key read, up to KEY_LIMIT characters, and whether it was longer. */
  private key = "";
  private keyTooLong = false;
  private keyKind = S_OTHER;
  private seenContent = false;
  private seenToken = false;
  private readonly tokenPieces: string[] = [];
  /** The literal being read: its word ("true", "false", "null") and position in it, or "" for a number. */
  private literalWord = "";
  private literalIndex = 0;
  private numberState = N_MINUS;
  private ended = false;
  private failure: unknown = undefined;

  push(chunk: string): string {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) throw new AirflowError("Log answer parser: push() called after end()");
    if (typeof chunk !== "string") throw new AirflowError(`Log answer parser: push() takes a string, got ${typeof chunk}`);
    const out: string[] = [];
    this.repr.out = out;
    try {
      this.scan(chunk);
    } catch (error) {
      this.failure = error;
      throw error;
    } finally {
      // Let go of the pieces (slices that keep this chunk's decoded text alive) once joined.
      this.repr.out = [];
    }
    this.base += chunk.length;
    if (out.length === 0) return "";
    return out.length === 1 ? out[0]! : out.join("");
  }

  end(): { token: string } {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) throw new AirflowError("Log answer parser: end() called twice");
    this.ended = true;
    try {
      if (this.state !== J_DONE) throw this.endError();
      if (!this.seenContent) throw new AirflowError('Malformed Airflow log answer: no "content" key in the object');
      if (!this.seenToken) throw new AirflowError('Malformed Airflow log answer: no "continuation_token" key in the object');
    } catch (error) {
      this.failure = error;
      throw error;
    }
    return { token: this.tokenPieces.join("") };
  }

  private scan(chunk: string): void {
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      const state = this.state;
      if (state === J_STRING) {
        i = this.scanString(chunk, i);
        continue;
      }
      if (state === J_LITERAL) {
        i = this.scanLiteral(chunk, i);
        continue;
      }
      const code = chunk.charCodeAt(i);
      // JSON whitespace: space, \t, \n, \r
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
        i++;
        continue;
      }
      switch (state) {
        case J_OBJECT:
          if (code !== 0x7b /* { */) throw this.failHere("expected '{' opening the log answer object", chunk, i);
          this.state = J_FIRST_KEY;
          break;
        case J_FIRST_KEY:
        case J_KEY:
          if (code === 0x7d /* } */ && state === J_FIRST_KEY) {
            this.state = J_DONE;
          } else if (code === CODE_DOUBLE_QUOTE) {
            this.key = "";
            this.keyTooLong = false;
            this.openString(S_KEY, i);
          } else {
            throw this.failHere(state === J_FIRST_KEY ? "expected a quoted key or '}'" : "expected a quoted key after ','", chunk, i);
          }
          break;
        case J_COLON:
          if (code !== 0x3a /* : */) throw this.failHere("expected ':' after the key", chunk, i);
          this.state = J_VALUE;
          break;
        case J_VALUE:
          this.startValue(chunk, i, code);
          break;
        case J_AFTER_VALUE:
          if (code === 0x2c /* , */) this.state = J_KEY;
          else if (code === 0x7d /* } */) this.state = J_DONE;
          else throw this.failHere("expected ',' or '}' after the value", chunk, i);
          break;
        default:
          throw this.failHere("unexpected text after the closing '}'", chunk, i);
      }
      i++;
    }
  }

  private openString(kind: number, i: number): void {
    this.stringKind = kind;
    this.stringStart = this.base + i;
    this.state = J_STRING;
  }

  private startValue(chunk: string, i: number, code: number): void {
    const kind = this.keyKind;
    if (kind !== S_OTHER) {
      if (code !== CODE_DOUBLE_QUOTE) {
        throw this.failHere(`${kind === S_CONTENT ? '"content"' : '"continuation_token"'} is not a string`, chunk, i);
      }
      this.openString(kind, i);
      return;
    }
    if (code === CODE_DOUBLE_QUOTE) {
      this.openString(S_OTHER, i);
    } else if (code === 0x74 /* t */ || code === 0x66 /* f */ || code === 0x6e /* n */) {
      this.literalWord = code === 0x74 ? "true" : code === 0x66 ? "false" : "null";
      this.literalIndex = 1;
      this.state = J_LITERAL;
    } else if (code === 0x2d /* - */ || isDigit(code)) {
      this.literalWord = "";
      this.numberState = code === 0x2d ? N_MINUS : code === 0x30 ? N_ZERO : N_INT;
      this.state = J_LITERAL;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      throw this.failHere(`nested objects and arrays are not supported (the value of ${this.keyName()})`, chunk, i);
    } else {
      throw this.failHere(`expected a value for ${this.keyName()}`, chunk, i);
    }
  }

  /** Reads the rest of a number or of true/false/null; returns where it stopped. */
  private scanLiteral(chunk: string, i: number): number {
    const length = chunk.length;
    const word = this.literalWord;
    if (word !== "") {
      while (i < length && this.literalIndex < word.length) {
        if (chunk.charCodeAt(i) !== word.charCodeAt(this.literalIndex)) {
          throw this.failHere(`malformed literal value of ${this.keyName()}`, chunk, i);
        }
        this.literalIndex++;
        i++;
      }
      if (this.literalIndex === word.length) this.state = J_AFTER_VALUE;
      return i;
    }
    let state = this.numberState;
    while (i < length) {
      const next = numberStep(state, chunk.charCodeAt(i));
      if (next === -1) {
        this.state = J_AFTER_VALUE;
        break;
      }
      if (next === -2) throw this.failHere(`malformed number value of ${this.keyName()}`, chunk, i);
      state = next;
      i++;
    }
    this.numberState = state;
    return i;
  }

  /**
   * Reads the characters of a JSON string from `i`: first the rest of an escape cut by the end of
   * the previous chunk, then everything up to the closing quote (or the end of the chunk, minus
   * an escape cut by it) in one `JSON.parse`. Returns where it stopped.
   */
  private scanString(chunk: string, i: number): number {
    const length = chunk.length;
    if (this.escape !== "") {
      i = this.continueEscape(chunk, i);
      if (this.escape !== "") return length;
    }
    // The closing quote is the first one after an even run of backslashes (`i` is never inside
    // an escape, so runs are counted back to `i` only).
    let close = chunk.indexOf('"', i);
    while (close !== -1 && backslashRunBefore(chunk, close, i) % 2 === 1) close = chunk.indexOf('"', close + 1);
    let to = close === -1 ? length : close;
    if (close === -1) {
      // An escape cut by the end: its backslash is the last one and starts an escape.
      const last = chunk.lastIndexOf("\\");
      if (last >= i && last >= length - 6 && backslashRunBefore(chunk, last, i) % 2 === 0) {
        if (last === length - 1 || (chunk.charCodeAt(last + 1) === 0x75 /* u */ && length - last < 6)) {
          this.escape = chunk.slice(last);
          this.escapeOffset = this.base + last;
          to = last;
        }
      }
    }
    if (to > i) this.takeRun(chunk, i, to);
    if (close === -1) return length;
    this.closeString(close);
    return close + 1;
  }

  /**
   * Decodes `chunk[from..to)`, a run of JSON string characters holding only whole escapes, and
   * hands it on. When `JSON.parse` refuses the run, the part before the fault is still handed on
   * first, so an earlier fault in the content is reported first, however the answer was cut.
   */
  private takeRun(chunk: string, from: number, to: number): void {
    let decoded: string;
    try {
      decoded = JSON.parse('"' + chunk.slice(from, to) + '"') as string;
    } catch {
      const [at, error] = this.findStringFault(chunk, from, to);
      if (at > from) this.take(JSON.parse('"' + chunk.slice(from, at) + '"') as string, regionMap(chunk, from, at, this.base));
      throw error;
    }
    this.take(decoded, regionMap(chunk, from, to, this.base));
  }

  /** Where the first fault of the JSON string characters `chunk[from..to)` is, and its error. */
  private findStringFault(chunk: string, from: number, to: number): [number, AirflowError] {
    for (let k = from; k < to; k++) {
      const code = chunk.charCodeAt(k);
      if (code < 0x20) return [k, this.failHere("unescaped control character in a JSON string", chunk, k)];
      if (code === CODE_BACKSLASH) {
        const letter = chunk.charCodeAt(k + 1);
        if (letter === 0x75 /* u */) {
          const value = hexValue(chunk, k + 2, k + 6);
          if (value < 0) return [k, this.badUnicodeEscape(chunk.slice(k, -value), this.base + k)];
          k += 5;
        } else if (simpleJsonEscape(letter) >= 0) {
          k += 1;
        } else {
          return [k, this.badJsonEscape(chunk.slice(k, k + 2), this.base + k)];
        }
      }
    }
    // Not reached: JSON.parse refuses nothing else in a string.
    return [from, jsonError("malformed JSON string", this.base + from, quoteFound(chunk.charAt(from)))];
  }

  /** Adds characters to a JSON escape begun in an earlier chunk; decodes it once whole. */
  private continueEscape(chunk: string, i: number): number {
    let escape = this.escape;
    const letter = escape.length === 1 ? chunk.charCodeAt(i) : escape.charCodeAt(1);
    if (letter !== 0x75 && simpleJsonEscape(letter) < 0) throw this.badJsonEscape("\\" + chunk.charAt(i), this.escapeOffset);
    const size = letter === 0x75 ? 6 : 2;
    const take = Math.min(size - escape.length, chunk.length - i);
    escape += chunk.slice(i, i + take);
    i += take;
    if (escape.length < size) {
      this.escape = escape;
      return i;
    }
    this.escape = "";
    let unit: number;
    if (size === 6) {
      unit = hexValue(escape, 2, 6);
      if (unit < 0) throw this.badUnicodeEscape(escape.slice(0, -unit), this.escapeOffset);
    } else {
      unit = simpleJsonEscape(letter);
    }
    const offset = this.escapeOffset;
    this.take(String.fromCharCode(unit), () => offset);
    return i;
  }

  private badJsonEscape(escape: string, offset: number): AirflowError {
    return jsonError(
      'invalid escape in a JSON string (JSON only has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
      offset,
      quoteFound(escape),
    );
  }

  private badUnicodeEscape(escape: string, offset: number): AirflowError {
    return jsonError("bad \\u escape in a JSON string: expected 4 hex digits", offset, quoteFound(escape));
  }

  /** Hands decoded string characters to whatever the current string is. */
  private take(decoded: string, map: OffsetMap): void {
    switch (this.stringKind) {
      case S_CONTENT:
        this.repr.feed(decoded, map);
        break;
      case S_TOKEN:
        this.tokenPieces.push(decoded);
        break;
      case S_KEY:
        if (this.key.length + decoded.length > KEY_LIMIT) {
          this.key = (this.key + decoded.slice(0, KEY_LIMIT)).slice(0, KEY_LIMIT);
          this.keyTooLong = true;
        } else {
          this.key += decoded;
        }
        break;
    }
  }

  /** The string ends at `chunk[close]`. */
  private closeString(close: number): void {
    switch (this.stringKind) {
      case S_KEY: {
        const kind = this.keyTooLong ? S_OTHER : this.key === "content" ? S_CONTENT : this.key === "continuation_token" ? S_TOKEN : S_OTHER;
        if (kind === S_CONTENT || kind === S_TOKEN) {
          const seen = kind === S_CONTENT ? this.seenContent : this.seenToken;
          if (seen) {
            throw jsonError(
              `duplicate ${this.keyName()} key (the first value was already read)`,
              this.stringStart,
              quoteFound('"'),
            );
          }
          if (kind === S_CONTENT) this.seenContent = true;
          else this.seenToken = true;
        }
        this.keyKind = kind;
        this.state = J_COLON;
        return;
      }
      case S_CONTENT:
        this.repr.finish(this.base + close);
        break;
    }
    this.state = J_AFTER_VALUE;
  }

  private keyName(): string {
    return JSON.stringify(this.key) + (this.keyTooLong ? "..." : "");
  }

  /** The error for input that ends in `this.state`. */
  private endError(): AirflowError {
    const offset = this.base;
    const atEnd = "end of input";
    switch (this.state) {
      case J_OBJECT:
        return jsonError("expected '{' opening the log answer object", offset, atEnd);
      case J_FIRST_KEY:
        return jsonError("expected a quoted key or '}'", offset, atEnd);
      case J_KEY:
        return jsonError("expected a quoted key after ','", offset, atEnd);
      case J_COLON:
        return jsonError("expected ':' after the key", offset, atEnd);
      case J_VALUE:
        return jsonError(`expected a value for ${this.keyName()}`, offset, atEnd);
      case J_STRING: {
        const what =
          this.stringKind === S_KEY
            ? "key string"
            : this.stringKind === S_OTHER
              ? `string value of ${this.keyName()}`
              : `${this.keyName()} string`;
        return jsonError(`unterminated ${what}`, this.stringStart, atEnd, "the string starts here and its closing quote is missing");
      }
      case J_LITERAL:
        if (this.literalWord === "" && isAcceptingNumber(this.numberState)) {
          return jsonError("expected ',' or '}' after the value", offset, atEnd);
        }
        return jsonError(`malformed ${this.literalWord === "" ? "number" : "literal"} value of ${this.keyName()}`, offset, atEnd);
      default:
        return jsonError("expected ',' or '}' after the value", offset, atEnd);
    }
  }

  private failHere(problem: string, chunk: string, i: number): AirflowError {
    return jsonError(problem, this.base + i, quoteFound(chunk.charAt(i)));
  }
}

/** How many backslashes come right before `at`, counting back no further than `from`. */
function backslashRunBefore(text: string, at: number, from: number): number {
  let k = at - 1;
  while (k >= from && text.charCodeAt(k) === CODE_BACKSLASH) k--;
  return at - 1 - k;
}
