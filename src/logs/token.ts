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
  if (typeof token !== "string" || token === "") throw tokenError("the token is empty");
  const compressed = token.startsWith(".");
  const body = compressed ? token.slice(1) : token;
  const separator = body.lastIndexOf(".");
  if (separator === -1) {
    throw tokenError("it has no '.' separating the payload from the signature");
  }
  const payloadOffset = compressed ? 1 : 0;
  const encodedPayload = body.slice(0, separator);
  const encodedSignature = body.slice(separator + 1);
  checkBase64Url(encodedPayload, "payload", payloadOffset);
  checkBase64Url(encodedSignature, "signature", payloadOffset + separator + 1);

  let bytes = decodeBase64Url(encodedPayload);
  if (compressed) bytes = await inflate(bytes);

  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw tokenError("its payload is not UTF-8 text", error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw tokenError(`its payload is not JSON: ${shorten(json)}`, error);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw tokenError(`its payload is not a JSON object: ${shorten(json)}`);
  }
  const record = parsed as Record<string, unknown>;
  const endOfLog = record["end_of_log"];
  if (endOfLog !== undefined && typeof endOfLog !== "boolean") {
    throw tokenError(`its "end_of_log" is ${describeValue(endOfLog)}, not a boolean`);
  }
  const logPos = record["log_pos"];
  if (logPos !== undefined && !(typeof logPos === "number" && Number.isSafeInteger(logPos) && logPos >= 0)) {
    throw tokenError(`its "log_pos" is ${describeValue(logPos)}, not a non-negative integer`);
  }
  return { ...record, end_of_log: endOfLog, log_pos: logPos };
}

function checkBase64Url(part: string, name: string, offset: number): void {
  if (part === "") throw tokenError(`its ${name} part is empty (at offset ${offset})`);
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i);
    const ok =
      (code >= 0x41 && code <= 0x5a) || // A-Z
      (code >= 0x61 && code <= 0x7a) || // a-z
      (code >= 0x30 && code <= 0x39) || // 0-9
      code === 0x2d || // -
      code === 0x5f; // _
    if (!ok) {
      throw tokenError(
        `its ${name} holds ${JSON.stringify(part[i])} at offset ${offset + i}, which is not a base64url character`,
      );
    }
  }
  // Unpadded base64 never leaves a single character over: 1 byte is 2 characters, 2 are 3.
  if (part.length % 4 === 1) {
    throw tokenError(`its ${name} is ${part.length} characters long, which no base64url data can be (at offset ${offset})`);
  }
}

function decodeBase64Url(part: string): Uint8Array<ArrayBuffer> {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (part.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function inflate(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new DecompressionStream("deflate");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // The write and close promises reject with the same error the reader sees; that one is reported.
  writer.write(data).catch(() => {});
  writer.close().catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_PAYLOAD_BYTES) {
        await reader.cancel().catch(() => {});
        throw tokenError(`its compressed payload inflates to more than ${MAX_PAYLOAD_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AirflowError) throw error;
    throw tokenError("its payload is marked compressed (leading '.') but is not valid zlib data", error);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** JSON for a parsed value, except numbers, which JSON would print as null when infinite. */
function describeValue(value: unknown): string {
  return shorten(typeof value === "number" ? String(value) : JSON.stringify(value));
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function tokenError(reason: string, cause?: unknown): AirflowError {
  return new AirflowError(`Malformed Airflow log continuation token: ${reason}`, cause === undefined ? undefined : { cause });
}
