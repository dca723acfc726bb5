/**
 * The test oracle of Airflow 2's log `content` (test/support/python-repr.ts, once src/logs/repr.ts):
 * pythonStringRepr against CPython's repr(), parseLogContent and joinLogBlocks against CPython's
 * str() of lists. The client's own reader (src/logs/stream-parser.ts) is checked against this
 * oracle in logs-stream-parser.test.ts.
 */
import { AirflowError } from "../../src/errors.js";
import { joinLogBlocks, parseLogContent, pythonStringRepr, type LogBlock } from "../support/python-repr";
import { PYTHON_CONTENT_VECTORS, PYTHON_REPR_VECTORS, seededRandom } from "../support/python-repr-vectors.js";

function thrownBy(action: () => unknown): AirflowError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AirflowError);
    return error as AirflowError;
  }
  throw new Error("expected an AirflowError, nothing was thrown");
}

const NASTY_ALPHABET: string[] = [
  "a", "Z", "0", " ", "'", '"', "\\", "\\x", "\\n", "\n", "\t", "\r", "\x00", "\x07", "\x1b", "[31m",
  "\x7f", "\x80", "\x9f", "\xa0", "\xad", "\xe9", "\xff", "\u0100", "\u0378", "\u0600", "\u200b", "\u200d",
  "\u2028", "\u2029", "\u3000", "\ud7ff", "\ud800", "\udbff", "\udc00", "\udfff", "\ue000", "\ufeff",
  "\ufffd", "\ufffe", "\uffff", "中", "😀", "👨\u200d👩", "\u{1d11e}", "\u{e0001}", "\u{f0000}", "\u{10ffff}",
  "(", ")", ",", "[", "]", "x'y\"z",
];

function randomString(random: () => number, maxPieces: number): string {
  const pieces = Math.floor(random() * (maxPieces + 1));
  let out = "";
  for (let k = 0; k < pieces; k++) out += NASTY_ALPHABET[Math.floor(random() * NASTY_ALPHABET.length)]!;
  return out;
}

describe("pythonStringRepr", () => {
  test.each(PYTHON_REPR_VECTORS)("matches CPython's repr() of %j", (input, expected) => {
    expect(pythonStringRepr(input)).toBe(expected);
  });

  test("uses double quotes only when the value has ' and no \"", () => {
    expect(pythonStringRepr("'")).toBe(`"'"`);
    expect(pythonStringRepr('"')).toBe(`'"'`);
    expect(pythonStringRepr(`'"`)).toBe(`'\\'"'`);
    expect(pythonStringRepr("a'b\\c")).toBe(`"a'b\\\\c"`);
  });

  test("uses \\U with eight digits above the BMP and \\x below U+0100", () => {
    expect(pythonStringRepr("\u{e007f}")).toBe("'\\U000e007f'");
    expect(pythonStringRepr("\x85")).toBe("'\\x85'");
    expect(pythonStringRepr("\u00ad")).toBe("'\\xad'");
    expect(pythonStringRepr("\u0085\u0100")).toBe("'\\x85\u0100'");
  });

  test("keeps the ASCII space literal but escapes every other space separator", () => {
    expect(pythonStringRepr(" \u00a0\u2007 ")).toBe("' \\xa0\\u2007 '");
  });
});

describe("parseLogContent", () => {
  test.each(PYTHON_CONTENT_VECTORS)("parses CPython's %j", (content, blocks) => {
    expect(parseLogContent(content)).toEqual(blocks);
  });

  test("decodes every escape Python's repr() writes", () => {
    const content = String.raw`[('h', 'bs\\ sq\' dq\" nl\n tab\t cr\r x\x41\x1b\xff u\u00e9\u2028 U\U0001f600\U00010000')]`;
    expect(parseLogContent(content)).toEqual([
      { host: "h", text: "bs\\ sq' dq\" nl\n tab\t cr\r xA\x1b\xff u\u00e9\u2028 U\u{1f600}\u{10000}" },
    ]);
  });

  test("accepts upper-case hex digits and an escaped quote of the other kind", () => {
    expect(parseLogContent(String.raw`[("h", "\xFF\u00E9\U0001F600\'\"")]`)).toEqual([
      { host: "h", text: "\xff\u00e9\u{1f600}'\"" },
    ]);
  });

  test("turns escaped surrogates into the same UTF-16 units, pairing them when adjacent", () => {
    expect(parseLogContent(String.raw`[('h', '\ud83d\ude00 \ud800 \U0000dc00')]`)).toEqual([
      { host: "h", text: "\u{1f600} \ud800 \udc00" },
    ]);
  });

  test("keeps an ANSI colour sequence", () => {
    const [block] = parseLogContent(String.raw`[('localhost', '\x1b[31mred\x1b[0m plain')]`);
    expect(block).toEqual({ host: "localhost", text: "\u001b[31mred\u001b[0m plain" });
  });

  test("keeps printable unicode that appears literally", () => {
    expect(parseLogContent("[('東京-1', 'ok ✓ 😀 中文 é')]")).toEqual([{ host: "東京-1", text: "ok ✓ 😀 中文 é" }]);
  });

  test("tolerates whitespace between tokens", () => {
    expect(parseLogContent(" \n[ ( 'a' ,\t'1' ) ,\r\n('b','2')\f]\v \n")).toEqual([
      { host: "a", text: "1" },
      { host: "b", text: "2" },
    ]);
    expect(parseLogContent("[ ]")).toEqual([]);
  });

  test("takes characters other than the backslash and the quote literally", () => {
    expect(parseLogContent("[('h', 'raw\nnewline \"and\" tab\t')]")).toEqual([{ host: "h", text: 'raw\nnewline "and" tab\t' }]);
  });

  test("parses many blocks mixing both quote styles", () => {
    const blocks: LogBlock[] = [];
    for (let k = 0; k < 500; k++) blocks.push({ host: k % 3 === 0 ? `h'${k}` : `h${k}`, text: k % 2 ? `it's ${k}\n` : `"${k}"\\` });
    const content = `[${blocks.map((b) => `(${pythonStringRepr(b.host)}, ${pythonStringRepr(b.text)})`).join(", ")}]`;
    expect(parseLogContent(content)).toEqual(blocks);
  });

  describe("refuses malformed content with the offset", () => {
    test.each<[string, string, string]>([
      ["empty input", "", "expected '[' opening the list of (host, text) tuples at offset 0; found end of input"],
      ["a dict", "{'a': 1}", `expected '[' opening the list of (host, text) tuples at offset 0; found "{'a': 1}"`],
      ["a bare tuple", "('h', 't')", `expected '[' opening the list of (host, text) tuples at offset 0; found "('h', 't')"`],
      ["a list of strings", "['h', 't']", `expected '(' opening a (host, text) tuple at offset 1; found "'h', 't']"`],
      ["a missing ']'", "[('h', 't')", "expected ',' or ']' after a (host, text) tuple at offset 11; found end of input"],
      ["a missing ','", "[('h', 't') ('g', 'u')]", `expected ',' or ']' after a (host, text) tuple at offset 12; found "('g', 'u')]"`],
      ["trailing garbage", "[('h', 't')] x", `unexpected text after the closing ']' at offset 13; found "x"`],
      ["a second list", "[][]", `unexpected text after the closing ']' at offset 2; found "[]"`],
      ["a trailing ',' in the list", "[('h', 't'),]", `trailing ',' before ']' (Python never writes one) at offset 12; found "]"`],
      [
        "a trailing ',' in the tuple",
        "[('h', 't',)]",
        `expected ')' closing the tuple (a tuple holds exactly a host and a text) at offset 10; found ",)]"`,
      ],
      [
        "a three-item tuple",
        "[('h', 't', 'u')]",
        `expected ')' closing the tuple (a tuple holds exactly a host and a text) at offset 10; found ", 'u')]"`,
      ],
      ["a one-item tuple", "[('h',)]", `expected a quoted text string at offset 6; found ")]"`],
      ["a None host", "[(None, 't')]", `expected a quoted host string at offset 2; found "None, 't')]"`],
      ["a bytes literal", "[('h', b't')]", `expected a quoted text string at offset 7; found "b't')]"`],
      ["a missing ',' in the tuple", "[('h' 't')]", `expected ',' after the host string at offset 6; found "'t')]"`],
      [
        "an unterminated string",
        "[('h', 'abc)]",
        `unterminated text string at offset 7 (the string starts here and its closing quote is missing); found "'abc)]"`,
      ],
      [
        "an unterminated string ending in a backslash",
        "[('h', 'abc\\",
        `unterminated text string at offset 7 (the input ends inside an escape sequence); found "'abc\\\\"`,
      ],
      [
        "an escaped closing quote",
        "[('h', 'abc\\')]",
        `unterminated text string at offset 7 (the string starts here and its closing quote is missing); found "'abc\\\\')]"`,
      ],
      [
        "an unknown escape",
        "[('h', 'a\\qb')]",
        `unsupported escape sequence "\\\\q" in the text string (Python's repr() only writes \\\\ \\' \\" \\n \\t \\r \\x \\u \\U) at offset 9; found "\\\\qb')]"`,
      ],
      [
        "an octal escape",
        "[('h\\0', 't')]",
        `unsupported escape sequence "\\\\0" in the host string (Python's repr() only writes \\\\ \\' \\" \\n \\t \\r \\x \\u \\U) at offset 4; found "\\\\0', 't')]"`,
      ],
      ["a short \\x escape", "[('h', 'a\\x4')]", `bad "\\\\x" escape: expected 2 hex digits at offset 9; found "\\\\x4')]"`],
      ["a short \\u escape", "[('h', '\\u12g4')]", `bad "\\\\u" escape: expected 4 hex digits at offset 8; found "\\\\u12g4')]"`],
      ["a \\U escape cut by the end", "[('h', '\\U0001", `bad "\\\\U" escape: expected 8 hex digits at offset 8; found "\\\\U0001"`],
      [
        "a \\U escape beyond U+10FFFF",
        "[('h', '\\U00110000')]",
        `\\U escape beyond U+10FFFF in the text string at offset 8; found "\\\\U00110000')]"`,
      ],
    ])("%s", (_name, content, problem) => {
      expect(thrownBy(() => parseLogContent(content)).message).toBe(`Malformed Airflow log content: ${problem}`);
    });

    test("quotes at most 24 characters of the input after the offset", () => {
      const content = `[('h', 'x')] ${"y".repeat(1000)}`;
      expect(thrownBy(() => parseLogContent(content)).message).toBe(
        `Malformed Airflow log content: unexpected text after the closing ']' at offset 13; found "${"y".repeat(24)}"...`,
      );
    });

    test("reports the offset of an unterminated string deep into a large input", () => {
      const content = `[('h', '${"ok\\n".repeat(100_000)}'), ('g', 'never closed)]`;
      const offset = content.indexOf("'never");
      expect(thrownBy(() => parseLogContent(content)).message).toBe(
        `Malformed Airflow log content: unterminated text string at offset ${offset} ` +
          `(the string starts here and its closing quote is missing); found "'never closed)]"`,
      );
    });
  });
});

describe("round trip through pythonStringRepr", () => {
  const wrap = (host: string, text: string) => `[(${pythonStringRepr(host)}, ${pythonStringRepr(text)})]`;

  test.each(PYTHON_REPR_VECTORS)("keeps %j intact", (input) => {
    expect(parseLogContent(wrap(input, input))).toEqual([{ host: input, text: input }]);
  });

  test("keeps 3000 seeded random strings over a nasty alphabet intact", () => {
    const random = seededRandom(20240601);
    for (let k = 0; k < 3000; k++) {
      const host = randomString(random, 4);
      const text = randomString(random, 60);
      const repr = pythonStringRepr(text);
      // A repr is one line of its own: no raw control or separator characters leak out.
      expect(repr).not.toMatch(/[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u);
      expect(parseLogContent(wrap(host, text))).toEqual([{ host, text }]);
    }
  });

  test("keeps seeded random multi-block lists intact", () => {
    const random = seededRandom(7);
    for (let k = 0; k < 300; k++) {
      const blocks: LogBlock[] = [];
      const count = Math.floor(random() * 5);
      for (let b = 0; b < count; b++) blocks.push({ host: randomString(random, 3), text: randomString(random, 30) });
      const content = `[${blocks.map((b) => `(${pythonStringRepr(b.host)}, ${pythonStringRepr(b.text)})`).join(", ")}]`;
      expect(parseLogContent(content)).toEqual(blocks);
    }
  });

  test("keeps long escape-dense text intact, whatever the literal run lengths between escapes", () => {
    const random = seededRandom(99);
    const escapes = ["\n", "\x1b", "\u{e0001}", "\ud800", "\\", "'", "\u2028"];
    let text = "";
    for (let k = 0; k < 40_000; k++) {
      // Runs around the parser's 64-unit slicing threshold, plus some long ones.
      const run = k % 10 === 0 ? 500 + Math.floor(random() * 500) : 60 + Math.floor(random() * 8);
      text += "x".repeat(run % 3 === 0 ? 0 : run) + escapes[k % escapes.length]!;
    }
    expect(parseLogContent(wrap("h", text))).toEqual([{ host: "h", text }]);
    const astral = "\u{e0001}".repeat(30_000);
    expect(parseLogContent(wrap("h", astral))).toEqual([{ host: "h", text: astral }]);
  });

  test("keeps every BMP code unit and a sweep of astral code points intact", () => {
    let bmp = "";
    for (let unit = 0; unit <= 0xffff; unit++) bmp += String.fromCharCode(unit);
    let astral = "";
    for (let codePoint = 0x10000; codePoint <= 0x10ffff; codePoint += 0x7f) astral += String.fromCodePoint(codePoint);
    expect(parseLogContent(wrap(astral, bmp))).toEqual([{ host: astral, text: bmp }]);
  });
});

describe("joinLogBlocks", () => {
  test("gives the empty string for no block", () => {
    expect(joinLogBlocks([])).toBe("");
  });

  test("gives one block's text unchanged, without its host", () => {
    expect(joinLogBlocks([{ host: "worker", text: "line 1\nline 2\n" }])).toBe("line 1\nline 2\n");
  });

  test("separates the texts of several blocks with one newline", () => {
    expect(
      joinLogBlocks([
        { host: "h1", text: "a" },
        { host: "h2", text: "b\n" },
        { host: "h3", text: "" },
        { host: "", text: "c" },
      ]),
    ).toBe("a\nb\n\n\nc");
  });

  test("joins what parseLogContent read", () => {
    expect(joinLogBlocks(parseLogContent("[('h1', 'first'), ('h2', 'second')]"))).toBe("first\nsecond");
    expect(joinLogBlocks(parseLogContent("[('h', '')]"))).toBe("");
  });
});
