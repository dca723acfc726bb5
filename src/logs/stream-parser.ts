/**
 * Incremental reading of Airflow's JSON log answer, `{"content": "<repr>", "continuation_token": "…"}`.
 *
 * A finished try's log comes back in one answer that can be hundreds of MB, so instead of
 * `JSON.parse` followed by `parseLogContent` (the test oracle in test/support/python-repr.ts), {@link createLogBodyParser} reads the decoded
 * response text piece by piece and gives back the log text of each piece as it arrives. What it
 * keeps between pieces is bounded by a few dozen characters (a JSON escape cut by the end of a
 * piece, a half-read repr escape, the first 65 characters of the last key, the state of two small
 * automata), plus the continuation token.
 *
 * Two layers, in one pass:
 *
 * 1. A JSON scanner for one top-level object. Each key is read; `content` and
 *    `continuation_token` must hold strings; any other key may hold a string, number, `true`,
 *    `false` or `null`, which is checked and skipped (objects and arrays are refused). A JSON
 *    escape cut by the end of a piece is kept and read again in front of the next piece, so a
 *    piece may end anywhere, even inside `\u00`.
 * 2. Each decoded character of `content` goes to an incremental parser of the Python repr of a
 *    list of `(host, text)` tuples with exactly the grammar, escapes and error cases of
 *    `parseLogContent` (the test oracle in test/support/python-repr.ts). Hosts are checked and dropped; texts are given out as they are
 *    decoded, the texts of successive tuples separated by `"\n"` as `joinLogBlocks` does.
 *
 * The common path does not go character by character (issue #6). Inside a repr string, a run of
 * JSON text up to the next `"`, control character, closing `'` or backslash other than the one
 * of a repr newline (written `\\n` in the JSON) is found with `indexOf` and a sticky regex (each
 * result is reused until the scan passes it) and given out as one slice, its newlines decoded by
 * one `split` and `join`. (`replace` and `replaceAll` are as fast, but give ropes of a thousand
 * pieces per network read, which cost the garbage collector more than they save while a follower
 * holds the text.) A repr escape written with raw characters after the JSON `\\` (`\\'`, `\\\\`,
 * `\\x1b`, `\\u00e9`, …) is decoded by one sticky regex. Everything else (structure, JSON
 * `\uXXXX`, escapes cut by the end of a piece, faults) takes the careful path: one JSON character
 * or escape decoded, then one step of the repr automaton.
 *
 * So the texts returned by `push` over a whole answer, concatenated, equal
 * `joinLogBlocks(parseLogContent(JSON.parse(answer).content))`.
 *
 * Offsets in error messages count UTF-16 code units: "offset N of the answer" from the start of
 * the text given to `push`, "offset N of the content" from the start of the decoded `content`
 * value (the offset `parseLogContent` (the test oracle in test/support/python-repr.ts) would name). Error messages do not depend on how the
 * answer was cut into pieces.
 */
import { AirflowError } from "../errors.js";

/** Incremental parser of one JSON log answer; see {@link createLogBodyParser}. */
export interface LogBodyParser {
  /** Feeds the next piece of the decoded response text; returns the log text decoded from it (may be ""). */
  push(chunk: string): string;
  /** Ends the input; throws if the JSON or the repr is incomplete; returns the continuation token. */
  end(): { token: string };
}

// JSON states: 0 before '{', 1 after '{', 2 after ',', 3 after a key, then the ones named here.
// J_NEXT[state] lists, in pairs, a character allowed in that state and the state it leads to.
const J_VALUE = 4;
const J_STRING = 5; // inside a key or string value
const J_LITERAL = 6; // inside a number, true, false or null
const J_AFTER = 7; // after a value: ',' or '}'
const J_DONE = 8; // after '}': only whitespace
const J_NEXT = ["{1", '}8"5', '"5', ":4", "", "", "", ",2}8", ""];
const J_EXPECT = [
  "expected '{' opening the log answer object",
  "expected a quoted key or '}'",
  "expected a quoted key after ','",
  "expected ':' after the key",
  "",
  "",
  "",
  "expected ',' or '}' after the value",
  "unexpected text after the closing '}'",
];

// What the string being read is; CONTENT and TOKEN are also the bits of the keys seen.
const OTHER = 0;
const CONTENT = 1;
const TOKEN = 2;
const KEY = 4;

/**
 * The number automaton (RFC 8259): row = state, column = class of the character (`-`, `0`,
 * `1-9`, `.`, `e E`, `+`, other); a digit is the next state, `.` ends the number before that
 * character, `x` is a fault. States: 0 after '-', 1 '0', 2 integer, 3 '.', 4 fraction, 5 'e',
 * 6 exponent sign, 7 exponent, 8 start. The states that may end are those whose "other" is `.`.
 */
const NUMBER = ["x12xxxx", ".xx35..", ".2235..", "x44xxxx", ".44.5..", "677xx6x", "x77xxxx", ".77....", "012xxxx"];
const numberClass = (ch: string): number => +"6012222222223445"["-0123456789.eE+".indexOf(ch) + 1]!;

// Repr states: 0 before '[', 1 after '[', 2 after ',' between tuples, 3 after '(', 4 after the
// host, 5 after ',' in a tuple, 6 after the text, 7 after ')', 8 after ']', 9 in a string.
// R_NEXT as J_NEXT.
const R_END = 8;
const R_STRING = 9;
const R_NEXT = ["[1", "(3]8", "(3", "'9\"9", ",5", "'9\"9", ")7", "]8,2", ""];
const TUPLE = "(host, text) tuple";
const OPEN_TUPLE = `expected '(' opening a ${TUPLE}`;
const R_EXPECT = [
  `expected '[' opening the list of ${TUPLE}s`,
  OPEN_TUPLE,
  OPEN_TUPLE,
  "expected a quoted host string",
  "expected ',' after the host string",
  "expected a quoted text string",
  "expected ')' closing the tuple (a tuple holds exactly a host and a text)",
  `expected ',' or ']' after a ${TUPLE}`,
  "unexpected text after the closing ']'",
];
/** Repr escape letters: the first six stand for the characters of REPR_DECODED; x u U take 2, 4, 8 hex digits. */
const REPR_LETTERS = "ntr'\\\"xuU";
const REPR_DECODED = "\n\t\r'\\\"";
/** JSON escape letters, and the characters they stand for (`\u` aside). */
const JSON_LETTERS = '"\\/bfnrt';
const JSON_DECODED = '"\\/\b\f\n\r\t';
/** Sticky: a JSON `\\` and the rest of a whole repr escape in raw characters (`\\` and `"` JSON-escaped). */
const REPR_ESCAPE = /\\\\(?:([ntr'])|\\([\\"])|x([\da-fA-F]{2})|u([\da-fA-F]{4})|U([\da-fA-F]{8}))/y;
/** Sticky: everything up to the next control character. */
const NO_CONTROL = /[^\0-\x1f]*/y;
const MISSING_QUOTE = "the string starts here and its closing quote is missing";

const q = (text: string): string => JSON.stringify(text);
const NOT_HEX = /[^\da-f]/i;
const isHex = (text: string): boolean => !NOT_HEX.test(text);
/** Repr escapes a run may hold (bit k of a run's `letters` for RUN_LETTERS[k]), and what they stand for. */
const RUN_LETTERS = REPR_LETTERS.slice(0, 4);
const RUN_DECODED = REPR_DECODED.slice(0, 4);

/**
 * The text of a run's repr: each escape of RUN_LETTERS it holds, written with `backslash` (`\\`
 * in JSON text, `\` once decoded), replaced. No other backslash is in a run, so the order is free.
 */
function decodeRunEscapes(repr: string, backslash: string, letters: number): string {
  for (let k = 0; k < RUN_LETTERS.length; k++) {
    if (letters & (1 << k)) repr = repr.split(backslash + RUN_LETTERS[k]).join(RUN_DECODED[k]);
  }
  return repr;
}

/** The code unit of the four hex digits at `at`, or -1 if they are not four hex digits. */
function hex4(text: string, at: number): number {
  let unit = 0;
  for (let k = at; k < at + 4; k++) {
    const code = text.charCodeAt(k); // NaN past the end: no digit
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 70 ? code - 55 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}
const fail = (problem: string, at: string | number, found: string, detail?: string): AirflowError =>
  new AirflowError(`Malformed Airflow log ${problem} at offset ${at}${detail ? ` (${detail})` : ""}; found ${found}`);
const jsonError = (problem: string, offset: number, found: string, detail?: string): AirflowError =>
  fail("answer: " + problem, offset, found, detail);
const reprError = (problem: string, offset: number, answer: number, found: string, detail?: string): AirflowError =>
  fail("content: " + problem, `${offset} of the content, offset ${answer} of the answer`, found, detail);

function indexOrEnd(text: string, char: string, from: number): number {
  const found = text.indexOf(char, from);
  return found < 0 ? text.length : found;
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
 * key, anything but whitespace after the object, a `content` value that `parseLogContent` (the test oracle in test/support/python-repr.ts)
 * would refuse, and any call after `end` or after an error (which throws that error again). The
 * `push` that meets a fault throws, so the text of that piece before the fault is not returned;
 * text returned by earlier calls stays valid.
 *
 * Memory stays bounded by the size of a piece, whatever the size of the answer; the time is linear.
 */
export function createLogBodyParser(): LogBodyParser {
  // ---- Layer 1: the JSON object.
  let state = 0;
  /** Answer offset of the first character of the text being scanned (the carry included). */
  let base = 0;
  /** A JSON escape cut by the end of the last piece, scanned again in front of the next one. */
  let carry = "";
  /** What the open string is, what the value of the last key is, and the answer offset of the open quote. */
  let kind = KEY;
  let valueKind = OTHER;
  let start = 0;
  /** The first 65 characters of the last key (65: to know it was longer than the 64 shown). */
  let key = "";
  let seen = 0;
  let token = "";
  /** The literal being read ("true", "false", "null"; "" for a number), how far, the number state. */
  let word = "";
  let wordAt = 0;
  let number = 0;
  let ended = false;
  let failure: unknown;

  // ---- Layer 2: the repr of the content.
  let rs = 0;
  /** Code of the quote that closes the repr string being read, and whether it is a text (or a host). */
  let quote = 0;
  let inText = false;
  let texts = 0;
  /** Offset in the content of the next decoded character. */
  let at = 0;
  /** A repr escape begun but not finished, and the content and answer offsets of its backslash. */
  let escape = "";
  let escapeAt = 0;
  let escapeAnswer = 0;
  /** Content and answer offsets of the open repr string's quote. */
  let openAt = 0;
  let openAnswer = 0;
  /** The decoded text of the piece being read (concatenated: V8 makes ropes, no copies). */
  let out = "";

  const name = (): string => q(key.slice(0, 64)) + (key.length > 64 ? "..." : "");
  const malformed = (): string => `malformed ${word ? "literal" : "number"} value of ${name()}`;
  const expectedValue = (): string => `expected a value for ${name()}`;
  const what = (): string => (inText ? "text" : "host");
  const escapeError = (problem: string, found: string): AirflowError => reprError(problem, escapeAt, escapeAnswer, found);
  const hexError = (found: string): AirflowError =>
    escapeError(`bad ${q(escape.slice(0, 2))} escape: expected ${2 ** (REPR_LETTERS.indexOf(escape[1]!) - 5)} hex digits`, found);

  /** Text of a JSON string other than the content. */
  const take = (text: string): void => {
    if (kind === TOKEN) token += text;
    if (kind === KEY) key = (key + text).slice(0, 65);
  };

  /** One decoded code unit of the content, whose source starts at answer offset `answer`. */
  const repr = (code: number, answer: number): void => {
    const offset = at++;
    const ch = String.fromCharCode(code);
    if (rs === R_STRING) {
      if (escape) {
        escape += ch;
        const letter = REPR_LETTERS.indexOf(escape[1]!);
        if (letter < 0) {
          throw escapeError(
            `unsupported escape sequence ${q(escape)} in the ${what()} string (Python's repr() only writes \\\\ \\' \\" \\n \\t \\r \\x \\u \\U)`,
            q(escape),
          );
        }
        if (!isHex(escape.slice(2))) throw hexError(q(escape));
        if (escape.length === (letter < 6 ? 2 : 2 + 2 ** (letter - 5))) {
          const value = parseInt(escape.slice(2), 16);
          if (value > 0x10ffff) throw escapeError(`\\U escape beyond U+10FFFF in the ${what()} string`, q(escape));
          if (inText) out += letter < 6 ? REPR_DECODED[letter] : String.fromCodePoint(value);
          escape = "";
        }
      } else if (code === quote) {
        rs = inText ? 6 : 4;
      } else if (code === 92) {
        escape = ch;
        escapeAt = offset;
        escapeAnswer = answer;
      } else if (inText) {
        out += ch;
      }
      return;
    }
    // space, \t, \n, \v, \f, \r, as parseLogContent skips them
    if (code === 32 || (code > 8 && code < 14)) return;
    if (rs === 2 && code === 93) throw reprError("trailing ',' before ']' (Python never writes one)", offset, answer, q(ch));
    const next = R_NEXT[rs]!;
    const k = next.indexOf(ch);
    if (k < 0 || k & 1) throw reprError(R_EXPECT[rs]!, offset, answer, q(ch));
    // (Whether the string opened after ',' in a tuple is a text; only read while a string is open.)
    inText = rs === 5;
    rs = +next[k + 1]!;
    if (rs === R_STRING) {
      if (inText && texts++) out += "\n";
      quote = code;
      openAt = offset;
      openAnswer = answer;
    }
  };

  const scan = (chunk: string): void => {
    const length = chunk.length;
    // Next backslash, '"', control character and "'" at or after the scan position (length if
    // none; -1 if not searched yet): each is searched again only once the scan has passed it.
    let backslash = -1;
    let double = -1;
    let control = -1;
    let single = -1;
    let i = 0;
    /** The error for the character at `index` (`i`, passed: a closure over `i` would slow the loop). */
    const here = (problem: string, index: number): AirflowError => jsonError(problem, base + index, q(chunk[index]!));
    carry = "";
    while (i < length) {
      const code = chunk.charCodeAt(i);
      const ch = chunk[i]!;
      if (state === J_STRING) {
        const content = kind === CONTENT;
        if (!content || (rs === R_STRING && !escape)) {
          if (double < i) double = indexOrEnd(chunk, '"', i);
          if (control < i) {
            NO_CONTROL.lastIndex = i;
            NO_CONTROL.test(chunk);
            control = NO_CONTROL.lastIndex;
          }
          // Inside '...' in the content a raw "'" ends the run too.
          const quoteEnds = content && quote === 39;
          if (quoteEnds && single < i) single = indexOrEnd(chunk, "'", i);
          let limit = Math.min(double, control, quoteEnds ? single : length);
          // A run: in the content it goes on over the repr escapes \n \t \r \' (`\\n` in the JSON
          // text) and over each JSON escape of a character that is plain text in the repr string
          // (`\"` inside '...', `\/`, `\u00e9`: Airflow's JSON escapes every non-ASCII character).
          let reprEscapes = 0;
          let letters = 0;
          let jsonEscapes = false;
          if (backslash < i) backslash = indexOrEnd(chunk, "\\", i);
          while (content && backslash < limit) {
            const letter = chunk.charCodeAt(backslash + 1);
            let from: number;
            if (letter === 92) {
              const kind = RUN_LETTERS.indexOf(chunk[backslash + 2]!);
              if (kind < 0) break;
              letters |= 1 << kind;
              reprEscapes++;
              from = backslash + 3;
            } else {
              const unit = letter === 117 ? hex4(chunk, backslash + 2) : letter === 34 || letter === 47 ? letter : -1;
              // (Control characters, the closing quote and a backslash that starts a repr escape: careful path.)
              if (unit < 32 || unit === quote || unit === 92) break;
              jsonEscapes = true;
              from = backslash + (letter === 117 ? 6 : 2);
            }
            // A quote inside the escape just passed closes nothing: look for the next one.
            if (double < from || (quoteEnds && single < from)) {
              if (double < from) double = indexOrEnd(chunk, '"', from);
              if (quoteEnds && single < from) single = indexOrEnd(chunk, "'", from);
              limit = Math.min(double, control, quoteEnds ? single : length);
            }
            backslash = indexOrEnd(chunk, "\\", from);
          }
          const runEnd = backslash < limit ? backslash : limit;
          if (runEnd > i) {
            const run = chunk.slice(i, runEnd);
            if (!content) take(run);
            else {
              // The run is a valid JSON string body: no raw quote or control character, and only the escapes above.
              const repr = jsonEscapes ? (JSON.parse(`"${run}"`) as string) : run;
              if (inText) out += letters ? decodeRunEscapes(repr, jsonEscapes ? "\\" : "\\\\", letters) : repr;
              at += jsonEscapes ? repr.length : runEnd - i - reprEscapes;
            }
            i = runEnd;
            continue;
          }
          if (content && code === 92) {
            REPR_ESCAPE.lastIndex = i;
            const match = REPR_ESCAPE.exec(chunk);
            const hex = match && (match[3] ?? match[4] ?? match[5]);
            const value = hex ? parseInt(hex, 16) : 0;
            // (Beyond U+10FFFF: the careful path names the fault.)
            if (match && value <= 0x10ffff) {
              if (inText) out += hex ? String.fromCodePoint(value) : REPR_DECODED[REPR_LETTERS.indexOf(match[1] ?? match[2]!)];
              at += match[0].length - (match[2] ? 2 : 1);
              i += match[0].length;
              continue;
            }
          }
        }
        // The careful path: one JSON character or escape.
        if (code === 34) {
          if (kind === KEY) {
            valueKind = key === "content" ? CONTENT : key === "continuation_token" ? TOKEN : OTHER;
            if (seen & valueKind) throw jsonError(`duplicate ${name()} key (the first value was already read)`, start, q(ch));
            seen |= valueKind;
            state = 3;
          } else {
            state = J_AFTER;
            if (content && rs !== R_END) {
              // The content ends here: the repr must be complete.
              const end = "end of content";
              if (rs !== R_STRING) throw reprError(R_EXPECT[rs]!, at, base + i, end);
              if (escape.length > 1) throw hexError(end);
              throw reprError(
                `unterminated ${what()} string`,
                openAt,
                openAnswer,
                end,
                escape ? "the input ends inside an escape sequence" : MISSING_QUOTE,
              );
            }
          }
          i++;
          continue;
        }
        if (code < 32) throw here("unescaped control character in a JSON string", i);
        let unit = code;
        let size = 1;
        if (code === 92) {
          const letter = chunk[i + 1];
          size = letter === "u" ? 6 : 2;
          const hex = size > 2 ? chunk.slice(i + 2, i + 6) : "";
          const bad = hex.search(NOT_HEX);
          if (bad >= 0) {
            throw jsonError("bad \\u escape in a JSON string: expected 4 hex digits", base + i, q(chunk.slice(i, i + bad + 3)));
          }
          if (i + size > length) {
            // Cut by the end of the piece: scanned again in front of the next one.
            carry = chunk.slice(i);
            break;
          }
          // NaN for a letter that is not an escape.
          unit = size > 2 ? parseInt(hex, 16) : JSON_DECODED.charCodeAt(JSON_LETTERS.indexOf(letter!));
          if (unit !== unit) {
            throw jsonError(
              'invalid escape in a JSON string (JSON only has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
              base + i,
              q(chunk.slice(i, i + 2)),
            );
          }
        }
        if (content) repr(unit, base + i);
        else take(String.fromCharCode(unit));
        i += size;
        continue;
      }
      if (state === J_LITERAL) {
        const next = word ? (ch === word[wordAt] ? "" : "x") : NUMBER[number]![numberClass(ch)]!;
        if (next === "x") throw here(malformed(), i);
        if (next === ".") {
          // The number ends before this character.
          state = J_AFTER;
          continue;
        }
        if (!word) number = +next;
        else if (++wordAt === word.length) state = J_AFTER;
      } else if (" \t\n\r".includes(ch)) {
        // JSON whitespace
      } else if (state === J_VALUE) {
        const next = NUMBER[8]![numberClass(ch)]!;
        word = ["true", "false", "null"].find((literal) => literal[0] === ch) ?? "";
        if (code === 34) {
          kind = valueKind;
          start = base + i;
          state = J_STRING;
        } else if (valueKind) {
          throw here(`${name()} is not a string`, i);
        } else if (word || next !== "x") {
          wordAt = 1;
          number = +next;
          state = J_LITERAL;
        } else {
          throw here("{[".includes(ch) ? `nested objects and arrays are not supported (the value of ${name()})` : expectedValue(), i);
        }
      } else {
        const next = J_NEXT[state]!;
        const k = next.indexOf(ch);
        if (k < 0 || k & 1) throw here(J_EXPECT[state]!, i);
        state = +next[k + 1]!;
        if (state === J_STRING) {
          kind = KEY;
          key = "";
          start = base + i;
        }
      }
      i++;
    }
    base += length - carry.length;
  };

  /** The error for input that ends in `state`. */
  const endError = (): AirflowError => {
    const offset = base + carry.length;
    const found = "end of input";
    if (state === J_STRING) {
      const string = kind === KEY ? "key string" : kind ? `${name()} string` : `string value of ${name()}`;
      return jsonError(`unterminated ${string}`, start, found, MISSING_QUOTE);
    }
    if (state === J_VALUE) return jsonError(expectedValue(), offset, found);
    const complete = state === J_LITERAL && !word && NUMBER[number]![6] === ".";
    return jsonError(state !== J_LITERAL ? J_EXPECT[state]! : complete ? J_EXPECT[J_AFTER]! : malformed(), offset, found);
  };

  return {
    push(chunk: string): string {
      if (failure !== undefined) throw failure;
      if (ended) throw new AirflowError("Log answer parser: push() called after end()");
      if (typeof chunk !== "string") throw new AirflowError(`Log answer parser: push() takes a string, got ${typeof chunk}`);
      try {
        scan(carry + chunk);
      } catch (error) {
        throw (failure = error);
      }
      const text = out;
      out = "";
      return text;
    },
    end(): { token: string } {
      if (failure !== undefined) throw failure;
      if (ended) throw new AirflowError("Log answer parser: end() called twice");
      ended = true;
      const missing = seen & CONTENT ? (seen & TOKEN ? "" : "continuation_token") : "content";
      if (state !== J_DONE) throw (failure = endError());
      if (missing) throw (failure = new AirflowError(`Malformed Airflow log answer: no "${missing}" key in the object`));
      return { token };
    },
  };
}
