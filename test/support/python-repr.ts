/**
 * Reading the `content` field of Airflow 2.x's JSON log answer.
 *
 * `GET .../taskInstances/{task_id}/logs/{try}` with `Accept: application/json` answers
 * `{"content": string, "continuation_token": string}`, and `content` is not the log text: it is
 * Python's `str()` of a list of `(host, text)` tuples, for example
 * `[('worker-1', '*** Found local files:\n...')]` (marshmallow's `fields.Str` calls `str()` on the
 * list, which is `repr()` of every item). This module parses that representation back, and ports
 * CPython's `str.__repr__` so tests and fake servers can produce it.
 *
 * Offsets in error messages count UTF-16 code units of `content`, as JavaScript's `String` does.
 */
import { AirflowError } from "../../src/errors.js";

/** One `(host, text)` tuple of Airflow's log answer. `host` may be the empty string. */
export interface LogBlock {
  host: string;
  text: string;
}

/**
 * Parses Airflow's `content` string: the Python repr of a list of `(host, text)` string tuples.
 *
 * Accepted grammar (whitespace — space, tab, CR, LF, FF, VT — is allowed between any two tokens):
 *
 *     content := '[' ']' | '[' tuple (',' tuple)* ']'
 *     tuple   := '(' string ',' string ')'
 *     string  := a Python string literal in single or double quotes, without prefix
 *
 * Inside a string the escapes Python's `repr()` writes are understood: `\\`, `\'`, `\"`, `\n`,
 * `\t`, `\r`, `\xNN`, `\uNNNN` and `\UNNNNNNNN` (hex digits in either case). Any other escape,
 * an unterminated string, a trailing comma, a tuple of another size, anything after the closing
 * `]`, and input that is not a list raise {@link AirflowError} naming the offset. Characters other
 * than the backslash and the closing quote are taken literally, whatever they are.
 *
 * `"[]"` gives `[]`. A `\uD83D\uDE00`-style pair of escaped surrogates becomes one astral
 * character, because a JavaScript string cannot tell the two apart.
 *
 * Runs in one forward pass over the input (the searches for the next quote and backslash are
 * `indexOf` calls whose results are reused until passed), so it is linear in the input size, and
 * builds each string from slices and batches of decoded code units joined once.
 */
export function parseLogContent(content: string): LogBlock[] {
  return new ContentScanner(content).parseList();
}

/**
 * Joins parsed blocks into the log text: the blocks' texts separated by a single `"\n"`, hosts left
 * out. No block gives `""`; one block gives exactly its text, so the text of successive answers of
 * a followed log (Airflow sends only the characters after `log_pos` on each call that carries a
 * continuation token) can be appended to each other as they are.
 *
 * (Airflow's own `text/plain` answer instead writes `host + "\n" + text + "\n"` per block; this
 * function does not imitate that.)
 */
export function joinLogBlocks(blocks: readonly LogBlock[]): string {
  if (blocks.length === 1) return blocks[0]!.text;
  return blocks.map((block) => block.text).join("\n");
}

/**
 * CPython's `repr()` of a `str`, ported.
 *
 * Quotes: single quotes, unless the value holds `'` and no `"`, then double quotes. Escapes: the
 * backslash and the chosen quote get a backslash; tab, LF and CR become `\t`, `\n`, `\r`; every
 * other character that Python's `str.isprintable()` rejects is written `\xNN` below U+0100,
 * `\uNNNN` below U+10000 and `\UNNNNNNNN` above, in lower-case hex. Everything else is literal.
 *
 * "Not printable" is Python's definition: general categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs,
 * except the ASCII space. The categories come from the JavaScript engine's Unicode tables, so a
 * character assigned in a newer Unicode version than the Python one was built with (category Cn
 * there) is literal here but escaped by that Python. A lone surrogate code unit is escaped as
 * `\udXXX`, like Python does for a lone surrogate code point.
 */
export function pythonStringRepr(value: string): string {
  const useDouble = value.includes("'") && !value.includes('"');
  const quote = useDouble ? '"' : "'";
  const pattern = useDouble ? NEEDS_ESCAPE_IN_DOUBLE : NEEDS_ESCAPE_IN_SINGLE;
  return quote + value.replace(pattern, escapeForRepr) + quote;
}

// `[^\P{Zs} ]` is "a space separator other than U+0020"; Cc already holds U+0000-U+001F, U+007F
// and U+0080-U+009F, which Python escapes as \xNN too.
const NEEDS_ESCAPE_IN_SINGLE = /[\\'\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/gu;
const NEEDS_ESCAPE_IN_DOUBLE = /[\\"\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/gu;

function escapeForRepr(char: string): string {
  switch (char) {
    case "\\":
      return "\\\\";
    case "'":
      return "\\'";
    case '"':
      return '\\"';
    case "\t":
      return "\\t";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
  }
  const codePoint = char.codePointAt(0)!;
  if (codePoint < 0x100) return "\\x" + hex(codePoint, 2);
  if (codePoint < 0x10000) return "\\u" + hex(codePoint, 4);
  return "\\U" + hex(codePoint, 8);
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

const CODE_BACKSLASH = 0x5c;
const CODE_SINGLE_QUOTE = 0x27;
const CODE_DOUBLE_QUOTE = 0x22;
/** Literal runs up to this many code units are copied into the pending batch instead of sliced. */
const SHORT_RUN = 64;
const PENDING_UNITS = 16384;
/**
 * Batch of code units of short literal runs and decoded escapes, see `parseString`. Made on first
 * use and shared: parsing is synchronous and never re-entered, so one buffer serves every call.
 */
let sharedPending: Uint16Array | undefined;
/** How many code units go to one `String.fromCharCode` call (it takes them as arguments). */
const FROM_CHAR_CODE_BATCH = 1024;

function codeUnitsToString(units: Uint16Array, count: number): string {
  if (count === 1) return String.fromCharCode(units[0]!);
  if (count === 2) return String.fromCharCode(units[0]!, units[1]!);
  let out = "";
  for (let start = 0; start < count; start += FROM_CHAR_CODE_BATCH) {
    const batch = units.subarray(start, Math.min(count, start + FROM_CHAR_CODE_BATCH));
    // `apply` takes any array-like; a typed array avoids copying into a plain array first.
    out += String.fromCharCode.apply(null, batch as unknown as number[]);
  }
  return out;
}

class ContentScanner {
  private pos = 0;
  // Cached positions of the next backslash / quote at or after `pos`; `text.length` means none.
  // -1 means "not searched yet". Each is searched again only once the scanner has passed it.
  private nextBackslash = -1;
  private nextSingleQuote = -1;
  private nextDoubleQuote = -1;
  /** Result of the last `decodeEscape` call. */
  private escapedCodePoint = 0;

  constructor(private readonly text: string) {}

  parseList(): LogBlock[] {
    this.skipWhitespace();
    if (this.peek() !== 0x5b /* [ */) {
      throw this.fail("expected '[' opening the list of (host, text) tuples", this.pos);
    }
    this.pos++;
    const blocks: LogBlock[] = [];
    this.skipWhitespace();
    if (this.peek() === 0x5d /* ] */) {
      this.pos++;
    } else {
      for (;;) {
        blocks.push(this.parseTuple());
        this.skipWhitespace();
        const next = this.peek();
        if (next === 0x5d /* ] */) {
          this.pos++;
          break;
        }
        if (next !== 0x2c /* , */) throw this.fail("expected ',' or ']' after a (host, text) tuple", this.pos);
        this.pos++;
        this.skipWhitespace();
        if (this.peek() === 0x5d /* ] */) throw this.fail("trailing ',' before ']' (Python never writes one)", this.pos);
      }
    }
    this.skipWhitespace();
    if (this.pos !== this.text.length) throw this.fail("unexpected text after the closing ']'", this.pos);
    return blocks;
  }

  private parseTuple(): LogBlock {
    if (this.peek() !== 0x28 /* ( */) throw this.fail("expected '(' opening a (host, text) tuple", this.pos);
    this.pos++;
    this.skipWhitespace();
    const host = this.parseString("host");
    this.skipWhitespace();
    if (this.peek() !== 0x2c /* , */) throw this.fail("expected ',' after the host string", this.pos);
    this.pos++;
    this.skipWhitespace();
    const text = this.parseString("text");
    this.skipWhitespace();
    if (this.peek() !== 0x29 /* ) */) {
      throw this.fail("expected ')' closing the tuple (a tuple holds exactly a host and a text)", this.pos);
    }
    this.pos++;
    return { host, text };
  }

  /**
   * Reads one quoted string. Literal runs longer than {@link SHORT_RUN} are taken as slices of the
   * input; shorter runs and decoded escapes are gathered as UTF-16 code units in `pending` and turned
   * into one string per batch, so text dense with escapes (ANSI colours, `\n` on short lines) does
   * not turn into millions of one-character strings. The pieces are joined once at the end.
   */
  private parseString(what: string): string {
    const text = this.text;
    const open = this.pos;
    const quote = this.peek();
    if (quote !== CODE_SINGLE_QUOTE && quote !== CODE_DOUBLE_QUOTE) {
      throw this.fail(`expected a quoted ${what} string`, open);
    }
    const pieces: string[] = [];
    const pending = (sharedPending ??= new Uint16Array(PENDING_UNITS));
    let count = 0;
    let i = open + 1;
    for (;;) {
      const close = this.findQuote(quote, i);
      const backslash = this.findBackslash(i);
      const runEnd = close < backslash ? close : backslash;
      if (runEnd - i > SHORT_RUN) {
        if (count > 0) {
          pieces.push(codeUnitsToString(pending, count));
          count = 0;
        }
        pieces.push(text.slice(i, runEnd));
      } else {
        // Room for the run and for the two code units an escape may add.
        if (count + (runEnd - i) + 2 > pending.length) {
          pieces.push(codeUnitsToString(pending, count));
          count = 0;
        }
        for (let k = i; k < runEnd; k++) pending[count++] = text.charCodeAt(k);
      }
      if (close < backslash) {
        this.pos = close + 1;
        break;
      }
      if (backslash === text.length) {
        throw this.fail(`unterminated ${what} string`, open, "the string starts here and its closing quote is missing");
      }
      i = this.decodeEscape(backslash, open, what);
      const codePoint = this.escapedCodePoint;
      if (codePoint < 0x10000) {
        pending[count++] = codePoint;
      } else {
        pending[count++] = 0xd800 + ((codePoint - 0x10000) >> 10);
        pending[count++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
      }
    }
    if (count > 0) pieces.push(codeUnitsToString(pending, count));
    if (pieces.length === 0) return "";
    return pieces.length === 1 ? pieces[0]! : pieces.join("");
  }

  /**
   * Decodes the escape sequence whose backslash is at `at`: stores the code point it stands for in
   * `escapedCodePoint` (a surrogate for a lone `\udXXX`) and returns the offset after it.
   */
  private decodeEscape(at: number, open: number, what: string): number {
    const text = this.text;
    const letter = text.charCodeAt(at + 1);
    switch (letter) {
      case CODE_BACKSLASH:
      case CODE_SINGLE_QUOTE:
      case CODE_DOUBLE_QUOTE:
        this.escapedCodePoint = letter;
        return at + 2;
      case 0x6e /* n */:
        this.escapedCodePoint = 0x0a;
        return at + 2;
      case 0x74 /* t */:
        this.escapedCodePoint = 0x09;
        return at + 2;
      case 0x72 /* r */:
        this.escapedCodePoint = 0x0d;
        return at + 2;
      case 0x78 /* x */:
        this.escapedCodePoint = this.readHex(at, 2);
        return at + 4;
      case 0x75 /* u */:
        this.escapedCodePoint = this.readHex(at, 4);
        return at + 6;
      case 0x55 /* U */: {
        const codePoint = this.readHex(at, 8);
        if (codePoint > 0x10ffff) {
          throw this.fail(`\\U escape beyond U+10FFFF in the ${what} string`, at);
        }
        this.escapedCodePoint = codePoint;
        return at + 10;
      }
    }
    if (Number.isNaN(letter)) {
      throw this.fail(`unterminated ${what} string`, open, "the input ends inside an escape sequence");
    }
    throw this.fail(
      `unsupported escape sequence ${JSON.stringify(text.slice(at, at + 2))} in the ${what} string ` +
        "(Python's repr() only writes \\\\ \\' \\\" \\n \\t \\r \\x \\u \\U)",
      at,
    );
  }

  /** Reads exactly `digits` hex digits right after the two-character escape prefix at `at`. */
  private readHex(at: number, digits: number): number {
    const text = this.text;
    const start = at + 2;
    let value = 0;
    for (let k = 0; k < digits; k++) {
      const code = text.charCodeAt(start + k);
      let digit: number;
      if (code >= 0x30 && code <= 0x39) digit = code - 0x30;
      else if (code >= 0x61 && code <= 0x66) digit = code - 0x61 + 10;
      else if (code >= 0x41 && code <= 0x46) digit = code - 0x41 + 10;
      else {
        throw this.fail(
          `bad ${JSON.stringify(text.slice(at, at + 2))} escape: expected ${digits} hex digits`,
          at,
        );
      }
      value = value * 16 + digit;
    }
    return value;
  }

  private findBackslash(from: number): number {
    if (this.nextBackslash < from) this.nextBackslash = this.indexOrEnd("\\", from);
    return this.nextBackslash;
  }

  private findQuote(quote: number, from: number): number {
    if (quote === CODE_SINGLE_QUOTE) {
      if (this.nextSingleQuote < from) this.nextSingleQuote = this.indexOrEnd("'", from);
      return this.nextSingleQuote;
    }
    if (this.nextDoubleQuote < from) this.nextDoubleQuote = this.indexOrEnd('"', from);
    return this.nextDoubleQuote;
  }

  private indexOrEnd(char: string, from: number): number {
    const found = this.text.indexOf(char, from);
    return found === -1 ? this.text.length : found;
  }

  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      // space, \t, \n, \v, \f, \r
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) pos++;
      else break;
    }
    this.pos = pos;
  }

  private fail(problem: string, at: number, detail?: string): AirflowError {
    const end = at + 24;
    const found =
      at >= this.text.length
        ? "end of input"
        : JSON.stringify(this.text.slice(at, end)) + (end < this.text.length ? "..." : "");
    return new AirflowError(
      `Malformed Airflow log content: ${problem} at offset ${at}${detail ? ` (${detail})` : ""}; found ${found}`,
    );
  }
}
