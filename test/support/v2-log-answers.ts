/**
 * Airflow 3's log answers decoded two ways, for tests: whole, with `JSON.parse` of the entire body
 * (the decoder the library used before it streamed, kept here as the oracle), and by the library's
 * streaming decoder (src/wire/v2/log-stream.ts) fed in given pieces.
 */
import { AirflowError } from "../../src/errors";
import { dropSourceDetails, renderLogText, type LogRecord } from "../../src/wire/v2/log-records";
import { createV2LogStream } from "../../src/wire/v2/log-stream";

/** What decoding one answer gave: its records, their text and its token, or the error it threw. */
export type Decoded = { records: Array<LogRecord | string>; text: string; token: string | null } | { error: unknown };

/**
 * The oracle: the whole body parsed at once, then checked in the order of the reasons (not JSON,
 * not an object, content, each record in order, the token).
 */
export function decodeWhole(body: string, options: { dropSourceDetails?: boolean } = {}): Decoded {
  try {
    let answer: unknown;
    try {
      answer = JSON.parse(body);
    } catch (cause) {
      throw malformed("not JSON", cause);
    }
    if (typeof answer !== "object" || answer === null || Array.isArray(answer)) throw malformed("not a JSON object");
    const { content } = answer as Record<string, unknown>;
    if (!Array.isArray(content)) throw malformed("content is not an array");
    content.forEach((record: unknown, index) => {
      if (typeof record === "string") return;
      if (typeof record !== "object" || record === null || Array.isArray(record)) throw malformed(`content[${index}] is neither a record nor a string`);
      if (typeof (record as Record<string, unknown>).event !== "string") throw malformed(`content[${index}] has no string event`);
    });
    if (!("continuation_token" in answer)) throw malformed("continuation_token is missing");
    const token = (answer as Record<string, unknown>).continuation_token;
    if (token !== null && typeof token !== "string") throw malformed("continuation_token is neither a string nor null");
    const records = options.dropSourceDetails ? dropSourceDetails(content).records : (content as Array<LogRecord | string>);
    return { records, text: renderLogText(records), token };
  } catch (error) {
    return { error };
  }
}

/** The streaming decoder fed `pieces` in turn; `texts` are what each push returned. */
export function decodePieces(pieces: readonly string[], options: { dropSourceDetails?: boolean } = {}): Decoded & { texts: string[] } {
  const stream = createV2LogStream({ dropSourceDetails: options.dropSourceDetails === true });
  const texts: string[] = [];
  const records: Array<LogRecord | string> = [];
  try {
    for (const piece of pieces) {
      const out = stream.push(piece);
      texts.push(out.text);
      records.push(...out.records);
    }
    const { token } = stream.end();
    return { records, text: texts.join(""), token, texts };
  } catch (error) {
    return { error, texts };
  }
}

/** The body cut at the given offsets. */
export function cut(body: string, offsets: readonly number[]): string[] {
  const sorted = [0, ...[...offsets].sort((a, b) => a - b), body.length];
  return sorted.slice(1).map((end, i) => body.slice(sorted[i], end));
}

/**
 * A comparable form of a result: an error as its class, message and the class of its cause (a
 * SyntaxError's own message depends on where the parser stood, so it is left out).
 */
export function outcome(decoded: Decoded): unknown {
  if (!("error" in decoded)) return { records: decoded.records, text: decoded.text, token: decoded.token };
  const error = decoded.error as Error & { cause?: unknown };
  return { error: error?.constructor?.name, message: error?.message, cause: (error?.cause as Error | undefined)?.constructor?.name };
}

function malformed(reason: string, cause?: unknown): AirflowError {
  return new AirflowError(`Malformed Airflow log answer: ${reason}`, cause === undefined ? undefined : { cause });
}
