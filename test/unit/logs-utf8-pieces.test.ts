/**
 * createUtf8PieceDecoder: pieces decoded one by one must give exactly what one decode of the whole
 * body gives (TextDecoder's default: BOM dropped at the start only, U+FFFD for bad bytes).
 */
import fc from "fast-check";
import { createUtf8PieceDecoder } from "../../src/logs/utf8-pieces";

function decodeInPieces(bytes: Uint8Array, cuts: number[]): string {
  const decoder = createUtf8PieceDecoder();
  let out = "";
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out += decoder.push(bytes.subarray(from, cut));
    from = cut;
  }
  out += decoder.push(bytes.subarray(from));
  return out + decoder.end();
}

const whole = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const utf8 = (text: string) => new TextEncoder().encode(text);

test.each([
  ["ascii", utf8("plain log line\n")],
  ["2, 3 and 4-byte characters", utf8("é € 🚀 ünï")],
  ["a BOM at the start is dropped", Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0xef, 0xbb, 0xbf, 0x42])],
  ["a lone BOM", Uint8Array.from([0xef, 0xbb, 0xbf])],
  ["a truncated last character", Uint8Array.from([0x41, 0xe2, 0x82])],
  ["a lead byte followed by ASCII", Uint8Array.from([0xe2, 0x41, 0xe2, 0x82, 0xac])],
  ["stray continuation bytes", Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x41])],
  ["invalid lead bytes", Uint8Array.from([0xf8, 0x80, 0xff, 0xc0, 0xaf, 0x41])],
  ["a surrogate encoded in UTF-8 (invalid)", Uint8Array.from([0xed, 0xa0, 0x80, 0x41])],
])("%s: every single cut and every pair of cuts gives the whole decode", (_name, bytes) => {
  const expected = whole(bytes);
  for (let a = 0; a <= bytes.length; a += 1) {
    expect(decodeInPieces(bytes, [a])).toBe(expected);
    for (let b = a; b <= bytes.length; b += 1) expect(decodeInPieces(bytes, [a, b])).toBe(expected);
  }
});

test("any bytes cut anywhere decode as the whole does (1,000 runs)", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }).map(utf8)),
      fc.array(fc.nat(), { maxLength: 6 }),
      (bytes, cuts) => decodeInPieces(bytes, cuts.map((c) => c % (bytes.length + 1))) === whole(bytes),
    ),
    { numRuns: 1000 },
  );
});

test("an empty body gives the empty string", () => {
  const decoder = createUtf8PieceDecoder();
  expect(decoder.push(new Uint8Array(0)) + decoder.end()).toBe("");
});
