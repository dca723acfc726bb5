/**
 * The log `content` parser inverts Python's repr of a string.
 *
 * Strings: full Unicode (any code point, with graphemes and characters that repr escapes mixed in).
 * Lone surrogates are the one place where "any string" needs care. test/support/python-repr.ts documents that
 * `pythonStringRepr` escapes a lone surrogate code unit as `\udXXX` (as Python does for a lone
 * surrogate code point) and that the parser turns an adjacent escaped pair such as `\ud83d\ude00`
 * into one astral character, "because a JavaScript string cannot tell the two apart". So:
 *  - JS string -> repr -> parse is the identity even with lone surrogates (tested below with raw
 *    UTF-16 code units), because a JS string can never hold a high surrogate followed by a low one
 *    other than as a pair;
 *  - Python string -> repr -> parse is not: Python's '\ud83d\ude00' (two code points) and '😀' (one)
 *    both arrive as "😀". Such strings cannot exist in a real log anyway (Airflow's file handler
 *    reads UTF-8, which cannot encode surrogates), so the Python-side check sticks to well-formed
 *    strings.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { joinLogBlocks, parseLogContent, pythonStringRepr } from "../support/python-repr";

const RUNS = 1000;
const TIMEOUT = 120_000;

/** Characters the repr escapes or quotes specially, mixed into the strings often. */
const special = fc.constantFrom("'", '"', "\\", "\n", "\r", "\t", "\0", "\x7f", "\x85", "\u00a0", "\u2028", "\u2029", "\u200b", "\ufeff", "\ue000", "\u{10ffff}", "\u{1f680}", "é", "\u0301", " ", "\\x41", "\\n", "\\'");
const fullUnicode = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 4 },
    { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 2 },
    { arbitrary: special, weight: 3 },
  ),
  maxLength: 40,
});
/** Any sequence of UTF-16 code units, lone surrogates included. */
const codeUnits = fc.string({
  unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)), special),
  maxLength: 40,
});

test(
  "parseLogContent(`[(repr(h), repr(t))]`) gives back [{ host: h, text: t }] for any full-Unicode h and t",
  () => {
    fc.assert(
      fc.property(fullUnicode, fullUnicode, (host, text) => {
        expect(parseLogContent(`[(${pythonStringRepr(host)}, ${pythonStringRepr(text)})]`)).toEqual([{ host, text }]);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "the same holds for raw UTF-16 code units, lone surrogates included (JS -> repr -> parse is the identity)",
  () => {
    fc.assert(
      fc.property(codeUnits, codeUnits, (host, text) => {
        const parsed = parseLogContent(`[(${pythonStringRepr(host)}, ${pythonStringRepr(text)})]`);
        expect(parsed).toHaveLength(1);
        // toEqual would not show which code unit differs; compare as code unit arrays.
        expect(units(parsed[0]!.host)).toEqual(units(host));
        expect(units(parsed[0]!.text)).toEqual(units(text));
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "any list of (host, text) tuples, as Python prints it, parses back to the same blocks and joins with \\n",
  () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fullUnicode, fullUnicode), { maxLength: 6 }), (tuples) => {
        const content = `[${tuples.map(([h, t]) => `(${pythonStringRepr(h)}, ${pythonStringRepr(t)})`).join(", ")}]`;
        const blocks = parseLogContent(content);
        expect(blocks).toEqual(tuples.map(([host, text]) => ({ host, text })));
        expect(joinLogBlocks(blocks)).toBe(tuples.map(([, t]) => t).join("\n"));
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "what CPython's own repr() writes parses back to the original string (1000 generated strings, one python3 run)",
  () => {
    // Python's Unicode tables differ from the JS engine's (a character new in Unicode 15 is escaped
    // by one and literal in the other); the parser takes either, so the round trip must still hold.
    const samples = fc.sample(fc.tuple(fullUnicode, fullUnicode), { numRuns: RUNS, seed: 20241121 });
    const python = process.env.ATI_PYTHON ?? "python3";
    const script = "import json,sys\nfor h,t in json.load(sys.stdin):\n    print(json.dumps(str([(h, t)])))";
    const result = spawnSync(python, ["-c", script], { input: JSON.stringify(samples), encoding: "utf8", maxBuffer: 64 << 20 });
    if (result.error || result.status !== 0) throw new Error(`${python} failed: ${String(result.error ?? result.stderr)}`);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(samples.length);
    const mismatches = samples.flatMap(([host, text], i) => {
      const content = JSON.parse(lines[i]!) as string;
      const parsed = parseLogContent(content);
      return parsed.length === 1 && parsed[0]!.host === host && parsed[0]!.text === text ? [] : [{ host, text, content }];
    });
    expect(mismatches).toEqual([]);
  },
  TIMEOUT,
);

function units(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
}
