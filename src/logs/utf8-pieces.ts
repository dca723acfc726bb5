/**
 * UTF-8 decoding of a body that arrives in pieces, without `TextDecoder`'s `{ stream: true }`.
 *
 * Node 20's TextDecoder leaves its fast path for good once `stream: true` is used (several times
 * slower on a long log; docs/benchmarks.md has the figures), so each piece is decoded on its own instead, with
 * an incomplete character at its end held back for the next piece. Cutting just before a byte
 * that is not a continuation byte leaves the decoder in its initial state, so the text is exactly
 * what one decode of the whole body gives, replacement characters included.
 */

/** A decoder for consecutive pieces of one UTF-8 body. */
export interface Utf8PieceDecoder {
  push(bytes: Uint8Array): string;
  /** Ends the body; an incomplete last character becomes U+FFFD, as in a whole decode. */
  end(): string;
}

export function createUtf8PieceDecoder(): Utf8PieceDecoder {
  // ignoreBOM: a BOM is dropped only at the start of the body (below), not at every piece.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let held: Uint8Array | undefined;
  let first = true;
  return {
    push(bytes) {
      if (held) {
        const joined = new Uint8Array(held.length + bytes.length);
        joined.set(held);
        joined.set(bytes, held.length);
        bytes = joined;
        held = undefined;
      }
      if (first && bytes.length >= 3) {
        first = false;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      } else if (first) {
        held = bytes;
        return "";
      }
      const cut = completeLength(bytes);
      if (cut < bytes.length) held = bytes.slice(cut);
      return decoder.decode(cut < bytes.length ? bytes.subarray(0, cut) : bytes);
    },
    end() {
      let rest = held ?? new Uint8Array(0);
      if (first && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) rest = rest.subarray(3);
      held = undefined;
      return rest.length > 0 ? decoder.decode(rest) : "";
    },
  };
}

/** The length of `bytes` without a character cut off at its end. */
function completeLength(bytes: Uint8Array): number {
  // A character is at most 4 bytes: look for the last lead byte among the last 4.
  for (let at = bytes.length - 1; at >= 0 && at >= bytes.length - 4; at -= 1) {
    const byte = bytes[at]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return bytes.length - at < needs ? at : bytes.length;
  }
  return bytes.length;
}
