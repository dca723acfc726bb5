/**
 * Reading Airflow's log `continuation_token` without the server's secret key.
 *
 * Airflow 2.x signs the log reader's metadata dict with itsdangerous' `URLSafeSerializer`:
 *
 *     token := [ "." ] base64url(payload) "." base64url(signature)
 *
 * `payload` is compact JSON such as `{"end_of_log":true,"log_pos":16}`. When zlib compression
 * makes it shorter, itsdangerous stores the zlib stream (RFC 1950, the `"deflate"` format of
 * `DecompressionStream`) instead and marks the token with a leading `"."`. Base64url is written
 * without `=` padding. The signature is neither checked nor needed here: only the server can check
 * it, and the token must be sent back unchanged anyway.
 */
import { AirflowError } from "../errors.js";

/**
 * The metadata Airflow keeps between log reads, as found in a continuation token.
 *
 * `end_of_log` is true once the try is finished and everything was sent. `log_pos` is how many
 * characters of the log were already sent; Airflow counts Python characters (code points), not
 * JavaScript UTF-16 units, and does not count the `*** ...` header lines. Both are `undefined`
 * when the token does not hold them (some log handlers keep other keys, e.g. `offset`); every other
 * key of the payload is kept as it was parsed.
 */
export interface LogTokenPayload {
  end_of_log: boolean | undefined;
  log_pos: number | undefined;
  [key: string]: unknown;
}

/** Upper bound for a decompressed payload; a real one is well under a kilobyte. */
const MAX_PAYLOAD_BYTES = 1 << 20;

/**
 * Decodes the payload of an Airflow log continuation token.
 *
 * Async because a compressed payload is inflated with the web-standard `DecompressionStream`.
 * Throws {@link AirflowError} when the token is not two dot-separated base64url parts (plus the
 * optional leading dot), when the payload does not inflate, is not UTF-8 or not a JSON object,
 * or when `end_of_log` is present but not a boolean, or `log_pos` present but not a non-negative
 * integer.
 */
export async function decodeLogToken(token: string): Promise<LogTokenPayload> {
  if (typeof token !== "string" || !token) throw tokenError("the token is empty");
  const compressed = token[0] === ".";
  const separator = token.lastIndexOf(".");
  if (separator < +compressed) throw tokenError("it has no '.' before the signature");
  const payload = token.slice(+compressed, separator);
  checkBase64Url(payload, "payload", +compressed);
  checkBase64Url(token.slice(separator + 1), "signature", separator + 1);

  let bytes: Uint8Array<ArrayBuffer> = Uint8Array.from(atob(payload.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  if (compressed) bytes = await inflate(bytes);
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw tokenError("its payload is not UTF-8 text", error);
  }
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json);
  } catch (error) {
    throw tokenError(`its payload is not JSON: ${shorten(json)}`, error);
  }
  if (typeof record !== "object" || !record || Array.isArray(record)) throw tokenError(`its payload is not a JSON object: ${shorten(json)}`);
  const { end_of_log, log_pos } = record;
  if (end_of_log !== undefined && typeof end_of_log !== "boolean") throw badField("end_of_log", end_of_log, "a boolean");
  if (log_pos !== undefined && !(Number.isSafeInteger(log_pos) && (log_pos as number) >= 0)) throw badField("log_pos", log_pos, "a non-negative integer");
  return { ...record, end_of_log, log_pos: log_pos as number | undefined };
}

/** Unpadded base64url; `offset` is where `part` starts in the token. */
function checkBase64Url(part: string, name: string, offset: number): void {
  const bad = part.search(/[^\w-]/);
  if (bad >= 0) throw tokenError(`its ${name} has ${JSON.stringify(part[bad])} at offset ${offset + bad}, not base64url`);
  if (!part) throw tokenError(`its ${name} is empty (at offset ${offset})`);
  // Unpadded base64 never leaves a single character over: 1 byte is 2 characters, 2 are 3.
  if (part.length % 4 === 1) throw tokenError(`its ${name} has ${part.length} characters, not a base64url length (at offset ${offset})`);
}

async function inflate(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  try {
    for (let read; !(read = await reader.read()).done; ) {
      chunks.push(read.value);
      total += read.value.byteLength;
      if (total > MAX_PAYLOAD_BYTES) {
        await reader.cancel().catch(() => {});
        throw tokenError(`its compressed payload inflates to more than ${MAX_PAYLOAD_BYTES} bytes`);
      }
    }
  } catch (error) {
    if (error instanceof AirflowError) throw error;
    throw tokenError("its payload is marked compressed (leading '.') but is not zlib data", error);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

function badField(name: string, value: unknown, expected: string): AirflowError {
  // Numbers as JavaScript prints them: JSON would print an infinite one as null.
  return tokenError(`its "${name}" is ${shorten(typeof value === "number" ? String(value) : JSON.stringify(value))}, not ${expected}`);
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function tokenError(reason: string, cause?: unknown): AirflowError {
  return new AirflowError(`Malformed Airflow log continuation token: ${reason}`, cause === undefined ? undefined : { cause });
}
