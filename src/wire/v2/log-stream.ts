/**
 * Airflow 3's log answer, `{"content": [record, ...], "continuation_token": string | null}`,
 * decoded as it streams in.
 *
 * A finished try answers its whole log at once (2.6 MB for 15,000 records is ordinary), so the
 * answer is not parsed whole: {@link createV2LogStream} finds where each record of `content` ends
 * by tracking strings, escapes and nesting, parses that record alone with `JSON.parse`, and gives
 * back the rendered text of every record completed by each piece. What it keeps between pieces is
 * the record (or other value) that a piece ended inside, so memory is bounded by one record plus
 * one network piece, not by the answer.
 *
 * The structure around the records (the object's braces, keys, colons and commas) is checked here
 * and every value by `JSON.parse`, so a body is refused exactly when `JSON.parse` of the whole
 * would refuse it, and the errors are those of decoding the whole answer (AirflowError
 * "Malformed Airflow log answer: <reason>"), with one difference that only a hand-made body can
 * show: a second `content` key is refused, where `JSON.parse` would keep the last one (the first
 * one's records may already have been passed on). Key order does not matter; keys other than
 * `content` and `continuation_token` are checked and ignored. A body that is not JSON fails as
 * soon as that shows; a record of the wrong shape stops the text there and fails at the end (so
 * that a body that is also not JSON is named as such, as the whole-answer decoding did), as do a
 * missing or mistyped token.
 */
import { AirflowError } from "../../errors.js";
import { renderLogRecord, sourceDetailsFilter, type LogRecord } from "./log-records.js";

/** What one piece of an answer completed. */
export interface V2LogPiece {
  /** Each record of `records` rendered by renderLogRecord and followed by "\n", concatenated. */
  text: string;
  /** The records completed by this piece, as sent (without the source-details block when dropped). */
  records: Array<LogRecord | string>;
}

/** An incremental decoder of one answer; see {@link createV2LogStream}. */
export interface V2LogStream {
  /** Feeds the next piece of decoded text, cut anywhere; returns the records it completed. */
  push(piece: string): V2LogPiece;
  /** Ends the answer: its token (null once the log is complete). Throws for a malformed answer. */
  end(): { token: string | null };
}

// Where the scan stands in the answer object. A value (key, member value or record) is read in
// the states that expect one; MOVES lists the punctuation each state takes and where it leads.
const BEFORE = 0; // before "{"
const KEY = 1; // after "{": a key or "}"
const NEXT_KEY = 2; // after ",": a key
const COLON = 3;
const VALUE = 4; // a member's value; the array of `content` is read record by record
const RECORD = 5; // after "[": a record or "]"
const NEXT_RECORD = 6; // after ",": a record
const AFTER_RECORD = 7;
const AFTER_VALUE = 8;
const DONE = 9; // after "}": only whitespace
const MOVES: ReadonlyArray<Readonly<Record<string, number>>> = [
  { "{": KEY },
  { "}": DONE },
  {},
  { ":": VALUE },
  {},
  { "]": AFTER_VALUE },
  {},
  { ",": NEXT_RECORD, "]": AFTER_VALUE },
  { ",": NEXT_KEY, "}": DONE },
  {},
];
const READS_VALUE = [KEY, NEXT_KEY, VALUE, RECORD, NEXT_RECORD];

const isSpace = (c: string) => c === " " || c === "\n" || c === "\r" || c === "\t";
/** The end of a number, true, false or null. */
const LITERAL_END = /[,\]}\t\n\r ]/g;

/**
 * A decoder of one answer. With `dropSourceDetails`, the "::group::Log message source details"
 * block that opens a read without a token is left out (sourceDetailsFilter: each record is decided
 * as it arrives, so none is held back).
 */
export function createV2LogStream(options: { dropSourceDetails: boolean }): V2LogStream {
  const filter = options.dropSourceDetails ? sourceDetailsFilter() : undefined;
  let state = BEFORE;
  let key = "";
  // The value being read: its text from earlier pieces, and where its scan stands.
  let reading = false;
  let partial = "";
  let literal = false;
  let depth = 0;
  let quoted = false;
  let escaped = false;
  let count = 0; // records of content read
  let content = false;
  let hasToken = false;
  let token: unknown;
  // A body that does not start with "{" is never an answer; it is kept whole to tell "not JSON" apart.
  let notObject = false;
  // Thrown at the end, unless the body turns out not to be JSON, as decoding it whole would.
  let wrongShape: AirflowError | undefined;
  const refuse = (reason: string) => void (wrongShape ??= malformed(reason));

  /** Scans on from `at` through the value being read: the index after its end, or -1 if `piece` ends first. */
  function scan(piece: string, at: number): number {
    if (literal) {
      LITERAL_END.lastIndex = at;
      return LITERAL_END.test(piece) ? LITERAL_END.lastIndex - 1 : -1;
    }
    while (at < piece.length) {
      if (!quoted) {
        const c = piece[at++];
        if (c === '"') quoted = true;
        else if (c === "{" || c === "[") depth += 1;
        else if (c === "}" || c === "]") depth -= 1;
      } else if (escaped) {
        escaped = false;
        at += 1;
        continue;
      } else {
        // The bulk of an answer is its strings: jump to the next quote, skipping escaped ones.
        const quote = piece.indexOf('"', at);
        if (quote < 0) {
          escaped = oddBackslashes(piece, piece.length, at);
          return -1;
        }
        quoted = oddBackslashes(piece, quote, at);
        at = quote + 1;
      }
      if (depth === 0 && !quoted) return at;
    }
    return -1;
  }

  /** Acts on a value read whole, by the state that expected it. */
  function take(json: string, out: V2LogPiece): void {
    const value = parse(json);
    if (state === KEY || state === NEXT_KEY) {
      if (typeof value !== "string") throw notJson(json);
      key = value;
      state = COLON;
    } else if (state === VALUE) {
      if (key === "continuation_token") {
        hasToken = true;
        token = value;
      }
      state = AFTER_VALUE;
    } else {
      state = AFTER_RECORD;
      const index = count++;
      if (typeof value !== "string") {
        if (typeof value !== "object" || value === null || Array.isArray(value)) refuse(`content[${index}] is neither a record nor a string`);
        else if (typeof (value as LogRecord).event !== "string") refuse(`content[${index}] has no string event`);
      }
      const record = value as LogRecord | string;
      // After a wrong record the answer fails at its end: nothing more is passed on.
      if (wrongShape || (filter && !filter.keep(record))) return;
      out.records.push(record);
      out.text += `${renderLogRecord(record)}\n`;
    }
  }

  return {
    push(piece) {
      const out: V2LogPiece = { text: "", records: [] };
      if (notObject) {
        partial += piece;
        return out;
      }
      for (let at = 0, start = 0; at < piece.length; ) {
        if (reading) {
          const end = scan(piece, at);
          if (end < 0) {
            partial += piece.slice(start);
            break;
          }
          const json = partial + piece.slice(start, end);
          reading = false;
          partial = "";
          at = end;
          take(json, out);
          continue;
        }
        const c = piece[at]!;
        const move = MOVES[state]![c];
        if (isSpace(c)) {
          at += 1;
        } else if (state === BEFORE && c !== "{") {
          notObject = true;
          partial = piece.slice(at);
          break;
        } else if (move !== undefined) {
          state = move;
          at += 1;
        } else if (READS_VALUE.includes(state)) {
          if (state === VALUE && key === "content") {
            // JSON.parse would keep the last of two; the first one's records may be passed on already.
            if (content || c !== "[") refuse(content ? "content is given twice" : "content is not an array");
            content = true;
            if (c === "[") {
              // The one value not read whole: its records are, one by one.
              state = RECORD;
              at += 1;
              continue;
            }
          }
          reading = true;
          start = at;
          literal = !'"{['.includes(c);
          depth = 0;
          quoted = escaped = false;
        } else {
          throw notJson(c);
        }
      }
      return out;
    },
    end() {
      if (notObject || state === BEFORE) {
        parse(partial);
        throw malformed("not a JSON object");
      }
      if (state !== DONE) throw malformed("not JSON", new SyntaxError("Unexpected end of JSON input"));
      if (wrongShape) throw wrongShape;
      if (!content) throw malformed("content is not an array");
      // The response model makes the token a required, nullable field: its absence means another shape.
      if (!hasToken) throw malformed("continuation_token is missing");
      if (token !== null && typeof token !== "string") throw malformed("continuation_token is neither a string nor null");
      return { token };
    },
  };
}

/** Whether the backslashes just before `end` (back to `start` at most) are odd, escaping what follows. */
function oddBackslashes(text: string, end: number, start: number): boolean {
  let from = end;
  while (from > start && text[from - 1] === "\\") from -= 1;
  return (end - from) % 2 === 1;
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (cause) {
    throw malformed("not JSON", cause);
  }
}

const notJson = (text: string) => malformed("not JSON", new SyntaxError(`Unexpected ${JSON.stringify(text.slice(0, 40))} in the log answer`));

function malformed(reason: string, cause?: unknown): AirflowError {
  return new AirflowError(`Malformed Airflow log answer: ${reason}`, cause === undefined ? undefined : { cause });
}
