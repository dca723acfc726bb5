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
  /** A whole decode drops a BOM at the start of the body: the first character decoded, if U+FEFF. */
  const decode = (bytes: Uint8Array): string => {
    const text = decoder.decode(bytes);
    if (!first || !text) return text;
    first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  return {
    push(bytes) {
      if (held) {
        const joined = new Uint8Array(held.length + bytes.length);
        joined.set(held);
        joined.set(bytes, held.length);
        bytes = joined;
      }
      const cut = completeLength(bytes);
      held = cut < bytes.length ? bytes.slice(cut) : undefined;
      return decode(cut < bytes.length ? bytes.subarray(0, cut) : bytes);
    },
    end() {
      const rest = held;
      held = undefined;
      return rest ? decode(rest) : "";
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
