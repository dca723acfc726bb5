/**
 * createLogBodyParser: the incremental reader of Airflow's JSON log answer. The reference is the
 * whole-answer path, joinLogBlocks(parseLogContent(JSON.parse(body).content)); every body is fed
 * whole, one character at a time, cut in two at every position (short bodies), in fixed-size
 * pieces and in seeded random pieces, and every way must give the same text, token and errors.
 */
import { AirflowError } from "../../src/errors.js";
import { joinLogBlocks, parseLogContent, pythonStringRepr, type LogBlock } from "../support/python-repr";
import { createLogBodyParser } from "../../src/logs/stream-parser.js";
import { PYTHON_CONTENT_VECTORS, PYTHON_REPR_VECTORS, seededRandom } from "../support/python-repr-vectors.js";
import { logToken } from "../support/log-token";

// ---- Inputs (the vectors of support-python-repr.test.ts, CPython 3.11.7's repr() and str() of lists) ------

// The contents CPython wrote, without the tuples they came from.
const PYTHON_CONTENTS: string[] = PYTHON_CONTENT_VECTORS.map(([content]) => content);

/** Hand-written contents that exercise the repr grammar beyond what repr() itself writes. */
const HAND_CONTENTS: string[] = [
  String.raw`[('h', 'bs\\ sq\' dq\" nl\n tab\t cr\r x\x41\x1b\xff u\u00e9\u2028 U\U0001f600\U00010000')]`,
  String.raw`[("h", "\xFF\u00E9\U0001F600\'\"")]`,
  String.raw`[('h', '\ud83d\ude00 \ud800 \U0000dc00')]`,
  String.raw`[('localhost', '\x1b[31mred\x1b[0m plain')]`,
  "[('東京-1', 'ok ✓ 😀 中文 é')]",
  " \n[ ( 'a' ,\t'1' ) ,\r\n('b','2')\f]\v \n",
  "[ ]",
  "[('h', 'raw\nnewline \"and\" tab\t')]",
  "[('h1', 'a'), ('h2', 'b\\n'), ('h3', ''), ('', 'c')]",
  "[('', ''), ('', ''), ('', '')]",
  "[('h', '\\\\'), ('h', '\\''), ('h', \"\\\"\"), ('h', '\"'), ('h', \"'\")]",
];

const wrap = (host: string, text: string): string => `[(${pythonStringRepr(host)}, ${pythonStringRepr(text)})]`;
const list = (blocks: readonly LogBlock[]): string =>
  `[${blocks.map((b) => `(${pythonStringRepr(b.host)}, ${pythonStringRepr(b.text)})`).join(", ")}]`;

const NASTY_ALPHABET: string[] = [
  "a", "Z", "0", " ", "'", '"', "\\", "\\x", "\\n", "\\u00", "\n", "\t", "\r", "\x00", "\x07", "\x1b", "[31m",
  "\x7f", "\x80", "\x9f", "\xa0", "\xad", "\xe9", "\xff", "\u0100", "\u0378", "\u0600", "\u200b", "\u200d",
  "\u2028", "\u2029", "\u3000", "\ud7ff", "\ud800", "\udbff", "\udc00", "\udfff", "\ue000", "\ufeff",
  "\ufffd", "\ufffe", "\uffff", "中", "😀", "👨\u200d👩", "\u{1d11e}", "\u{e0001}", "\u{f0000}", "\u{10ffff}",
  "(", ")", ",", "[", "]", "x'y\"z", "/", "{", "}", ":",
];

function randomString(random: () => number, maxPieces: number): string {
  const pieces = Math.floor(random() * (maxPieces + 1));
  let out = "";
  for (let k = 0; k < pieces; k++) out += NASTY_ALPHABET[Math.floor(random() * NASTY_ALPHABET.length)]!;
  return out;
}

// ---- Bodies -----------------------------------------------------------------------------------

const TOKEN = logToken(false, 123, "ZmFrZS1zaWduYXR1cmU");
/** A token with characters that JSON escapes, to check the token is decoded too. */
const ODD_TOKEN = 'tok "quoted" back\\slash /slash é 😀 \u2028';

/** Like Python's json.dumps(ensure_ascii=True), which Flask uses: everything past ASCII as \uXXXX. */
function asciiOnly(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (char) => "\\u" + char.charCodeAt(0).toString(16).padStart(4, "0"));
}

type BodyStyle = "content first" | "token first" | "spaced, extra keys" | "ascii-only with \\/";

const BODY_STYLES: BodyStyle[] = ["content first", "token first", "spaced, extra keys", "ascii-only with \\/"];

function makeBody(content: string, token: string, style: BodyStyle): string {
  switch (style) {
    case "content first":
      return JSON.stringify({ content, continuation_token: token });
    case "token first":
      return JSON.stringify({ continuation_token: token, content });
    case "spaced, extra keys":
      return (
        ` \r\n{\n\t"extra" : "skip \\"me\\" \\u00e9 \\\\" ,  "continuation_token"\t:\r\n ${JSON.stringify(token)},` +
        `\n  "n": -12.5e+3, "m": 0, "f": 1.0E-2, "t": true, "u": false,\n  "z" : null ,` +
        ` "content" :\n  ${JSON.stringify(content)} , "last": "" \n}\n\t `
      );
    case "ascii-only with \\/":
      return asciiOnly(JSON.stringify({ content, continuation_token: token })).replace(/\//g, "\\/");
  }
}

// ---- Feeding ----------------------------------------------------------------------------------

interface Outcome {
  text: string;
  token: string;
  outputs: string[];
}

function feed(pieces: readonly string[]): Outcome {
  const parser = createLogBodyParser();
  const outputs = pieces.map((piece) => parser.push(piece));
  const { token } = parser.end();
  return { text: outputs.join(""), token, outputs };
}

function cut(body: string, sizes: () => number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < body.length; ) {
    const size = sizes();
    pieces.push(body.slice(i, i + size));
    i += size;
  }
  return pieces;
}

/** Named ways to cut `body` into pieces. */
function chunkings(body: string, options: { everySplit?: boolean; seeds?: number } = {}): Array<[string, string[]]> {
  const ways: Array<[string, string[]]> = [
    ["whole", [body]],
    ["one character at a time", body.split("")],
    ["empty pieces around the body", ["", body, ""]],
  ];
  for (const size of [2, 3, 5, 7, 64]) ways.push([`pieces of ${size}`, cut(body, () => size)]);
  const seeds = options.seeds ?? 3;
  for (let seed = 1; seed <= seeds; seed++) {
    const random = seededRandom(seed * 7919 + body.length);
    ways.push([`random pieces, seed ${seed}`, cut(body, () => 1 + Math.floor(random() * 13))]);
  }
  if (options.everySplit ?? body.length <= 600) {
    for (let at = 1; at < body.length; at++) ways.push([`cut at ${at}`, [body.slice(0, at), body.slice(at)]]);
  }
  return ways;
}

function reference(body: string): { text: string; token: string } {
  const parsed = JSON.parse(body) as { content: string; continuation_token: string };
  return { text: joinLogBlocks(parseLogContent(parsed.content)), token: parsed.continuation_token };
}

function expectSameAsReference(body: string, options?: { everySplit?: boolean; seeds?: number }): void {
  const expected = reference(body);
  for (const [name, pieces] of chunkings(body, options)) {
    const outcome = feed(pieces);
    if (outcome.text !== expected.text || outcome.token !== expected.token) {
      // One readable failure instead of thousands of expect() calls.
      expect({ chunking: name, text: outcome.text, token: outcome.token }).toEqual({ chunking: name, ...expected });
    }
  }
}

/** The AirflowError message thrown while feeding `pieces` then ending. */
function messageOf(pieces: readonly string[]): string {
  const parser = createLogBodyParser();
  try {
    for (const piece of pieces) parser.push(piece);
    parser.end();
  } catch (error) {
    expect(error).toBeInstanceOf(AirflowError);
    return (error as AirflowError).message;
  }
  throw new Error(`expected an AirflowError for ${JSON.stringify(pieces.join("")).slice(0, 200)}, nothing was thrown`);
}

/** The message of feeding `body`, checked to be the same however the body is cut. */
function errorOf(body: string): string {
  const messages = new Set(chunkings(body, { everySplit: true }).map(([, pieces]) => messageOf(pieces)));
  expect([...messages]).toHaveLength(1);
  return [...messages][0]!;
}

// ---- Tests ------------------------------------------------------------------------------------

describe("createLogBodyParser gives the text and token of JSON.parse + parseLogContent + joinLogBlocks", () => {
  const contents: Array<[string, string]> = [
    ...PYTHON_CONTENTS.map((content): [string, string] => ["CPython str() of a list", content]),
    ...HAND_CONTENTS.map((content): [string, string] => ["hand-written", content]),
    ...PYTHON_REPR_VECTORS.map(([input, repr]): [string, string] => ["CPython repr() in one block", `[('h', ${repr})]`]),
    ...PYTHON_REPR_VECTORS.map(([input]): [string, string] => ["pythonStringRepr as host and text", wrap(input, input)]),
    ...PYTHON_REPR_VECTORS.map(([input]): [string, string] => [
      "in three blocks",
      list([
        { host: input, text: input },
        { host: "", text: "" },
        { host: "w", text: input + "\n" },
      ]),
    ]),
  ];
  const cases = contents.flatMap(([kind, content]) =>
    BODY_STYLES.map((style): [string, string, BodyStyle] => [kind, content, style]),
  );

  test.each(cases)("%s %j, body %s", (_kind, content, style) => {
    expectSameAsReference(makeBody(content, TOKEN, style));
  });

  test.each(BODY_STYLES)("decodes a token with escapes (%s)", (style) => {
    const body = makeBody("[('h', 'x')]", ODD_TOKEN, style);
    expectSameAsReference(body);
    expect(feed([body]).token).toBe(ODD_TOKEN);
  });

  test("the matrix really compares with the reference (spot check)", () => {
    const body = makeBody("[('a', 'one'), ('b', 'two\\n'), ('c', 'three')]", TOKEN, "spaced, extra keys");
    expect(feed(body.split(""))).toMatchObject({ text: "one\ntwo\n\nthree", token: TOKEN });
    expect(feed([makeBody("[]", "t", "token first")])).toMatchObject({ text: "", token: "t" });
  });

  test("keeps 400 seeded random strings over a nasty alphabet intact", () => {
    const random = seededRandom(20240601);
    for (let k = 0; k < 400; k++) {
      const host = randomString(random, 4);
      const text = randomString(random, 40);
      const style = BODY_STYLES[k % BODY_STYLES.length]!;
      const body = makeBody(wrap(host, text), randomString(random, 3), style);
      expectSameAsReference(body, { everySplit: false, seeds: 2 });
      expect(feed([body]).text).toBe(text);
    }
  });

  test("keeps 150 seeded random multi-block lists intact", () => {
    const random = seededRandom(7);
    for (let k = 0; k < 150; k++) {
      const blocks: LogBlock[] = [];
      const count = Math.floor(random() * 5);
      for (let b = 0; b < count; b++) blocks.push({ host: randomString(random, 3), text: randomString(random, 20) });
      const body = makeBody(list(blocks), TOKEN, BODY_STYLES[k % BODY_STYLES.length]!);
      expectSameAsReference(body, { everySplit: false, seeds: 2 });
      expect(feed([body]).text).toBe(joinLogBlocks(blocks));
    }
  });

  test("cuts every escape of every kind at every position (two pieces, all JSON escapes)", () => {
    // Every character of the content written as a JSON \uXXXX escape, the repr full of \x, \u, \U.
    const content = String.raw`[('h\x41', 'a\x1b\u00e9\U0001f600\n\\\'"z')]`;
    const body = `{"content":"${[...content].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("")}","continuation_token":"\\ud83d\\ude00"}`;
    expect(reference(body)).toEqual({ text: "a\x1bé😀\n\\'\"z", token: "😀" });
    expectSameAsReference(body, { everySplit: true });
    // Three pieces, every pair of cut positions.
    const expected = reference(body).text;
    for (let a = 1; a < body.length; a += 3) {
      for (let b = a + 1; b < body.length; b += 2) {
        const { text } = feed([body.slice(0, a), body.slice(a, b), body.slice(b)]);
        if (text !== expected) expect({ a, b, text }).toEqual({ a, b, text: expected });
      }
    }
  });

  test("a long escape-dense text, in many random chunkings", () => {
    const random = seededRandom(99);
    const escapes = ["\n", "\x1b", "\u{e0001}", "\ud800", "\\", "'", "\u2028", '"', "é"];
    let text = "";
    for (let k = 0; k < 1200; k++) text += "x".repeat(Math.floor(random() * 80)) + escapes[k % escapes.length]!;
    for (const style of BODY_STYLES) {
      const body = makeBody(list([{ host: "h", text }, { host: "g", text: "tail" }]), TOKEN, style);
      expectSameAsReference(body, { everySplit: false, seeds: 4 });
    }
  });

  test("a 500-block list mixing both quote styles", () => {
    const blocks: LogBlock[] = [];
    for (let k = 0; k < 500; k++) blocks.push({ host: k % 3 === 0 ? `h'${k}` : `h${k}`, text: k % 2 ? `it's ${k}\n` : `"${k}"\\` });
    const body = makeBody(list(blocks), TOKEN, "content first");
    expectSameAsReference(body, { everySplit: false, seeds: 3 });
    expect(feed([body]).text).toBe(joinLogBlocks(blocks));
  });

  test("returns each piece's text from that piece's push, not later", () => {
    const parser = createLogBodyParser();
    expect(parser.push('{"content": "[(\'h\', \'hel')).toBe("hel");
    expect(parser.push("lo\\\\")).toBe("lo");
    expect(parser.push("nwor")).toBe("\nwor");
    expect(parser.push("ld'), ('g', 'x")).toBe("ld\nx");
    expect(parser.push("')]\", \"continuation_token\": \"t\"}")).toBe("");
    expect(parser.end()).toEqual({ token: "t" });
  });

  test("accepts an escaped key and ignores keys that only resemble the known ones", () => {
    const body =
      '{"cont\\u0065nt": "[(\'h\', \'x\')]", "Content": 1, "content ": "y", "continuation_token_": null, "continuation_token": "t"}';
    expect(feed(body.split(""))).toMatchObject({ text: "x", token: "t" });
  });
});

describe("bounded output", () => {
  test("a 20 MB body in 64 KB pieces: every push returns at most its piece's worth of text, at once", () => {
    const line = "[2024-01-01T00:00:00.000+0000] {taskinstance.py:1234} INFO - processing record ";
    const lines: string[] = [];
    let size = 0;
    for (let k = 0; size < 20 * 1024 * 1024; k++) {
      const text = `${line}${k}${k % 50 === 0 ? " \x1b[32mok\x1b[0m 'q' \"dq\" é" : ""}\n`;
      lines.push(text);
      size += text.length + 2;
    }
    const text = lines.join("");
    const body = makeBody(wrap("worker-1", text), TOKEN, "content first");
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const chunk = 64 * 1024;
    const parser = createLogBodyParser();
    let total = 0;
    let longest = 0;
    let matches = true;
    for (let at = 0; at < body.length; at += chunk) {
      const piece = body.slice(at, at + chunk);
      const out = parser.push(piece);
      longest = Math.max(longest, out.length);
      // Text is handed out as its piece arrives: every full piece inside the text gives most of itself.
      if (at > 0 && at + chunk < body.length && out.length < chunk / 2) throw new Error(`push at ${at} held text back`);
      if (out !== text.slice(total, total + out.length)) matches = false;
      total += out.length;
    }
    expect(parser.end()).toEqual({ token: TOKEN });
    expect(matches).toBe(true);
    expect(total).toBe(text.length);
    expect(longest).toBeLessThanOrEqual(chunk);
  });
});

describe("refuses malformed answers with what and where", () => {
  const ok = (content: string) => JSON.stringify({ content, continuation_token: "t" });

  test.each<[string, string, string]>([
    ["empty input", "", "expected '{' opening the log answer object at offset 0; found end of input"],
    ["only whitespace", " \n\t", "expected '{' opening the log answer object at offset 3; found end of input"],
    ["an array", "[]", `expected '{' opening the log answer object at offset 0; found "["`],
    ["a string", '"text"', `expected '{' opening the log answer object at offset 0; found "\\""`],
    ["null", "  null", `expected '{' opening the log answer object at offset 2; found "n"`],
    ["a number content", '{"content": 5, "continuation_token": "t"}', `"content" is not a string at offset 12; found "5"`],
    ["a null content", '{"content": null}', `"content" is not a string at offset 12; found "n"`],
    ["a list content", '{"content": [["h", "t"]]}', `"content" is not a string at offset 12; found "["`],
    [
      "a number token",
      '{"continuation_token": 12, "content": "[]"}',
      `"continuation_token" is not a string at offset 23; found "1"`,
    ],
    ["no continuation_token", '{"content": "[]"}', `no "continuation_token" key in the object`],
    ["no content", '{"continuation_token": "t"}', `no "content" key in the object`],
    ["an empty object", "{}", `no "content" key in the object`],
    ["trailing text", `${ok("[]")} x`, `unexpected text after the closing '}' at offset 42; found "x"`],
    ["a second object", `${ok("[]")}{}`, `unexpected text after the closing '}' at offset 41; found "{"`],
    [
      "a nested object",
      '{"content": "[]", "extra": {"a": 1}, "continuation_token": "t"}',
      `nested objects and arrays are not supported (the value of "extra") at offset 27; found "{"`,
    ],
    [
      "a nested array",
      '{"extra": [], "content": "[]", "continuation_token": "t"}',
      `nested objects and arrays are not supported (the value of "extra") at offset 10; found "["`,
    ],
    [
      "a cut-off content",
      `{"content": "[('h', 'abc`,
      `unterminated "content" string at offset 12 (the string starts here and its closing quote is missing); found end of input`,
    ],
    [
      "a cut-off token",
      `{"content": "[]", "continuation_token": "abc\\u00`,
      `unterminated "continuation_token" string at offset 40 (the string starts here and its closing quote is missing); found end of input`,
    ],
    [
      "a cut-off key",
      `{"content": "[]", "contin`,
      "unterminated key string at offset 18 (the string starts here and its closing quote is missing); found end of input",
    ],
    ["a missing '}'", `{"content": "[]", "continuation_token": "t"`, "expected ',' or '}' after the value at offset 43; found end of input"],
    ["a missing ':'", '{"content" "[]"}', `expected ':' after the key at offset 11; found "\\""`],
    ["a missing value", '{"content": }', `"content" is not a string at offset 12; found "}"`],
    ["a missing value at the end", '{"x":', `expected a value for "x" at offset 5; found end of input`],
    ["a trailing ',' in the object", '{"content": "[]",}', `expected a quoted key after ',' at offset 17; found "}"`],
    ["a single-quoted key", "{'content': 1}", `expected a quoted key or '}' at offset 1; found "'"`],
    ["a missing ','", `{"content": "[]" "continuation_token": "t"}`, `expected ',' or '}' after the value at offset 17; found "\\""`],
    [
      "an invalid JSON escape",
      `{"content": "[('h', 'a\\q')]"}`,
      `invalid escape in a JSON string (JSON only has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) at offset 22; found "\\\\q"`,
    ],
    [
      "a short \\u escape in JSON",
      `{"content": "[('h', '\\u12g4')]"}`,
      `bad \\u escape in a JSON string: expected 4 hex digits at offset 21; found "\\\\u12g"`,
    ],
    [
      "a \\u escape in JSON cut by the closing quote",
      `{"x": "\\u00", "content": "[]", "continuation_token": "t"}`,
      `bad \\u escape in a JSON string: expected 4 hex digits at offset 7; found "\\\\u00\\""`,
    ],
    [
      "an unescaped control character",
      `{"content": "[]", "x": "a\tb", "continuation_token": "t"}`,
      `unescaped control character in a JSON string at offset 25; found "\\t"`,
    ],
    [
      "a duplicate content key",
      '{"content": "[]", "content": "[]", "continuation_token": "t"}',
      `duplicate "content" key (the first value was already read) at offset 18; found "\\""`,
    ],
    [
      "a duplicate token key",
      '{"continuation_token": "t", "content": "[]", "continuation_token": "t"}',
      `duplicate "continuation_token" key (the first value was already read) at offset 45; found "\\""`,
    ],
    ["a bad literal", `{"content": "[]", "x": tru}`, `malformed literal value of "x" at offset 26; found "}"`],
    ["a cut-off literal", `{"content": "[]", "x": nul`, `malformed literal value of "x" at offset 26; found end of input`],
    ["a literal glued to text", `{"content": "[]", "x": truex}`, `expected ',' or '}' after the value at offset 27; found "x"`],
    ["a leading zero", `{"content": "[]", "x": 01}`, `malformed number value of "x" at offset 24; found "1"`],
    ["a lone minus", `{"content": "[]", "x": -}`, `malformed number value of "x" at offset 24; found "}"`],
    ["a bare dot", `{"content": "[]", "x": 1.}`, `malformed number value of "x" at offset 25; found "}"`],
    ["an empty exponent", `{"content": "[]", "x": 1e+}`, `malformed number value of "x" at offset 26; found "}"`],
    ["a plus sign", `{"content": "[]", "x": +1}`, `expected a value for "x" at offset 23; found "+"`],
    ["a number cut by the end", `{"content": "[]", "x": 1e5`, "expected ',' or '}' after the value at offset 26; found end of input"],
    [
      "a long unknown key with an array",
      `{"${"k".repeat(100)}": []}`,
      `nested objects and arrays are not supported (the value of "${"k".repeat(64)}"...) at offset 105; found "["`,
    ],
  ])("%s", (_name, body, problem) => {
    expect(errorOf(body)).toBe(`Malformed Airflow log answer: ${problem}`);
  });

  test.each<[string, string, string]>([
    ["a missing '['", ok("('h', 't')"), `expected '[' opening the list of (host, text) tuples at offset 0 of the content, offset 12 of the answer; found "("`],
    ["an empty content", ok(""), "expected '[' opening the list of (host, text) tuples at offset 0 of the content, offset 12 of the answer; found end of content"],
    ["a list of strings", ok("['h', 't']"), `expected '(' opening a (host, text) tuple at offset 1 of the content, offset 13 of the answer; found "'"`],
    ["a missing ']'", ok("[('h', 'ok')"), "expected ',' or ']' after a (host, text) tuple at offset 12 of the content, offset 24 of the answer; found end of content"],
    ["trailing garbage", ok("[('h', 'ok')] x"), `unexpected text after the closing ']' at offset 14 of the content, offset 26 of the answer; found "x"`],
    ["a trailing ','", ok("[('h', 't'),]"), `trailing ',' before ']' (Python never writes one) at offset 12 of the content, offset 24 of the answer; found "]"`],
    [
      "an unterminated string",
      ok("[('h', 'ok)]"),
      "unterminated text string at offset 7 of the content, offset 19 of the answer (the string starts here and its closing quote is missing); found end of content",
    ],
    [
      "a string ending in a backslash",
      ok("[('h', 'ok\\"),
      "unterminated text string at offset 7 of the content, offset 19 of the answer (the input ends inside an escape sequence); found end of content",
    ],
    [
      "an unknown escape after JSON-escaped ones",
      ok("[('h', 'a\\nb\\q')]"),
      `unsupported escape sequence "\\\\q" in the text string (Python's repr() only writes \\\\ \\' \\" \\n \\t \\r \\x \\u \\U) at offset 12 of the content, offset 25 of the answer; found "\\\\q"`,
    ],
    [
      "an octal escape in the host",
      ok("[('h\\0', 't')]"),
      `unsupported escape sequence "\\\\0" in the host string (Python's repr() only writes \\\\ \\' \\" \\n \\t \\r \\x \\u \\U) at offset 4 of the content, offset 16 of the answer; found "\\\\0"`,
    ],
    ["a short \\x escape", ok("[('h', '\\x4')]"), `bad "\\\\x" escape: expected 2 hex digits at offset 8 of the content, offset 20 of the answer; found "\\\\x4'"`],
    [
      "a \\U escape cut by the end",
      ok("[('h', '\\U0001"),
      `bad "\\\\U" escape: expected 8 hex digits at offset 8 of the content, offset 20 of the answer; found end of content`,
    ],
    [
      "a \\U escape beyond U+10FFFF",
      ok("[('h', '\\U00110000')]"),
      `\\U escape beyond U+10FFFF in the text string at offset 8 of the content, offset 20 of the answer; found "\\\\U00110000"`,
    ],
    [
      "an error after \\u-escaped characters (offsets of the content and of the answer differ)",
      '{"continuation_token": "t", "content": "[(\'\\u00e9\\u00e9\', \'ok\') ("}',
      `expected ',' or ']' after a (host, text) tuple at offset 14 of the content, offset 64 of the answer; found "("`,
    ],
    [
      "an error at an escaped character",
      '{"content": "[(\'h\', \'ok\')\\u005d\\u0078", "continuation_token": "t"}',
      `unexpected text after the closing ']' at offset 13 of the content, offset 31 of the answer; found "x"`,
    ],
  ])("content with %s", (_name, body, problem) => {
    expect(errorOf(body)).toBe(`Malformed Airflow log content: ${problem}`);
  });

  // Every malformed content of support-python-repr.test.ts: the same problem at the same content offset as
  // parseLogContent, and the answer offset of that character in the body.
  test.each([
    "",
    "{'a': 1}",
    "('h', 't')",
    "['h', 't']",
    "[('h', 't')",
    "[('h', 't') ('g', 'u')]",
    "[('h', 't')] x",
    "[][]",
    "[('h', 't'),]",
    "[('h', 't',)]",
    "[('h', 't', 'u')]",
    "[('h',)]",
    "[(None, 't')]",
    "[('h', b't')]",
    "[('h' 't')]",
    "[('h', 'abc)]",
    "[('h', 'abc\\",
    "[('h', 'abc\\')]",
    "[('h', 'a\\qb')]",
    "[('h\\0', 't')]",
    "[('h', 'a\\x4')]",
    "[('h', '\\u12g4')]",
    "[('h', '\\U0001",
    "[('h', '\\U00110000')]",
    "[('é', '😀\\n'), ('\u2028', 'x\\u12g4')]",
  ])("same problem and content offset as parseLogContent for %j", (content) => {
    let expected: string;
    try {
      parseLogContent(content);
      throw new Error("parseLogContent accepted it");
    } catch (error) {
      expected = (error as Error).message;
    }
    const [, problem, offset, detail] = /^Malformed Airflow log content: (.*) at offset (\d+)( \(.*\))?; found .*$/s.exec(expected)!;
    const body = `{"content":${JSON.stringify(content)},"continuation_token":"t"}`;
    // The answer offset of content[offset]: the length of the JSON text that encodes what comes before it.
    const answerOffset = 11 + JSON.stringify(content.slice(0, Number(offset))).length - 1;
    const message = errorOf(body);
    expect(message.startsWith(
      `Malformed Airflow log content: ${problem} at offset ${offset} of the content, offset ${answerOffset} of the answer${detail ?? ""}; found `,
    )).toBe(true);
  });

  test("reports the offsets of an unterminated string deep into a large answer", () => {
    const content = `[('h', '${"ok\\n".repeat(100_000)}'), ('g', 'never closed)]`;
    const body = JSON.stringify({ content, continuation_token: "t" });
    const offset = content.indexOf("'never");
    const message = `Malformed Airflow log content: unterminated text string at offset ${offset} of the content, offset ${body.indexOf("'never")} of the answer (the string starts here and its closing quote is missing); found end of content`;
    expect(messageOf([body])).toBe(message);
    expect(messageOf(cut(body, () => 4096))).toBe(message);
    const random = seededRandom(3);
    expect(messageOf(cut(body, () => 1 + Math.floor(random() * 5000)))).toBe(message);
  });

  test("reports the first fault of a piece, whichever layer finds it", () => {
    // The repr fault at content offset 0 comes before the JSON fault (a raw tab) in the same piece.
    expect(errorOf('{"content": "a\tb"}')).toBe(
      `Malformed Airflow log content: expected '[' opening the list of (host, text) tuples at offset 0 of the content, offset 13 of the answer; found "a"`,
    );
    expect(errorOf('{"content": "[\tb"}')).toBe(
      `Malformed Airflow log answer: unescaped control character in a JSON string at offset 14; found "\\t"`,
    );
  });

  test("text returned before the fault stays returned; the push that meets the fault throws", () => {
    const parser = createLogBodyParser();
    expect(parser.push(`{"content": "[('h', 'good'), ('h', 'bad`)).toBe("good\nbad");
    expect(() => parser.push("\\\\q')]")).toThrow(/unsupported escape sequence "\\\\q" in the text string/);
  });
});

describe("use after the end or after an error", () => {
  const body = '{"content": "[(\'h\', \'x\')]", "continuation_token": "t"}';

  test("push after end throws", () => {
    const parser = createLogBodyParser();
    parser.push(body);
    expect(parser.end()).toEqual({ token: "t" });
    expect(() => parser.push("")).toThrow(new AirflowError("Log answer parser: push() called after end()"));
    expect(() => parser.push(" ")).toThrow(AirflowError);
  });

  test("end twice throws", () => {
    const parser = createLogBodyParser();
    parser.push(body);
    parser.end();
    expect(() => parser.end()).toThrow(new AirflowError("Log answer parser: end() called twice"));
  });

  test("after an error, every call throws that error again", () => {
    const parser = createLogBodyParser();
    let first: unknown;
    try {
      parser.push('{"content": 1');
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(AirflowError);
    expect(() => parser.push("}")).toThrow(first as Error);
    expect(() => parser.end()).toThrow(first as Error);
    try {
      parser.end();
    } catch (error) {
      expect(error).toBe(first);
    }
  });

  test("an error thrown by end() sticks too", () => {
    const parser = createLogBodyParser();
    parser.push('{"content": "[]"');
    expect(() => parser.end()).toThrow(/expected ',' or '}' after the value at offset 16; found end of input/);
    expect(() => parser.push("}")).toThrow(/expected ',' or '}' after the value at offset 16/);
  });

  test("parsers are independent", () => {
    const a = createLogBodyParser();
    const b = createLogBodyParser();
    expect(a.push('{"content": "[(\'h\', \'a')).toBe("a");
    expect(b.push('{"content": "[(\'h\', \'b')).toBe("b");
    expect(a.push("1')]\", \"continuation_token\": \"ta\"}")).toBe("1");
    expect(b.push("2')]\", \"continuation_token\": \"tb\"}")).toBe("2");
    expect([a.end(), b.end()]).toEqual([{ token: "ta" }, { token: "tb" }]);
  });
});

describe("the fast path (runs over `\\\\n`, repr escapes decoded at once) agrees with the careful path", () => {
  // Bodies written by hand so the JSON text around each case is exactly what the fast path meets.
  const body = (contentJson: string, token = "t") => `{"content": "${contentJson}", "continuation_token": "${token}"}`;

  test.each<[string, string, string]>([
    ["`\\\\n` between lines", String.raw`[('h', 'one\\ntwo\\nthree\\n')]`, "one\ntwo\nthree\n"],
    ["`\\\\\\\\n`: a repr backslash, then a plain n", String.raw`[('h', 'a\\\\nb')]`, "a\\nb"],
    ["`\\\\\\\\\\\\n`: a repr backslash, then a repr newline", String.raw`[('h', 'a\\\\\\nb')]`, "a\\\nb"],
    ["`\\\\\\\\\\\\\\\\n`: two repr backslashes, then a plain n", String.raw`[('h', '\\\\\\\\n\\n')]`, "\\\\n\n"],
    ["`\\\\'` in a single-quoted string (a quote inside an escape)", String.raw`[('h', 'it\\'s \\'q\\'')]`, "it's 'q'"],
    ["`\\\\\\\"` in a double-quoted string, closing right after", String.raw`[('h', \"say \\\"hi\\\"\")]`, 'say "hi"'],
    ["`\\\"` and `'` taken literally where they close nothing", String.raw`[('h', \"it's\"), ('g', 'a \"b\"')]`, 'it\'s\na "b"'],
    ["\\t \\r \\x \\u \\U written raw after the JSON `\\\\`", String.raw`[('h', '\\t\\r\\x1b[0m\\u00e9\\U0001f600\\ud83d\\ude00|')]`, "\t\r\x1b[0m\xe9\u{1f600}\u{1f600}|"],
    ["hex digits in upper case", String.raw`[('h', '\\xFF\\u00E9\\U0001F600')]`, "\xff\xe9\u{1f600}"],
    ["repr escape letters JSON-escaped (careful path)", String.raw`[('h', '\\\u006e\\\u0078\u0031b\\\u0027')]`, "\n\x1b'"],
    ["raw astral characters and JSON-escaped surrogate pairs", String.raw`[('h', '😀\\n\ud83d\ude00\\n中')]`, "😀\n😀\n中"],
    ["a host full of escapes (checked, not given out)", String.raw`[('h\\n\\x41\\\\', 'text\\n')]`, "text\n"],
    ["an empty text between lines", String.raw`[('h', '\\n'), ('g', ''), ('f', '\\n\\n')]`, "\n\n\n\n\n"],
  ])("%s", (_name, contentJson, text) => {
    const answer = body(contentJson);
    expect(reference(answer).text).toBe(text);
    expectSameAsReference(answer, { everySplit: true, seeds: 5 });
    // Three pieces, cut at every pair of positions inside the content.
    const from = answer.indexOf("[");
    const to = answer.indexOf('", "continuation_token"');
    for (let a = from; a < to; a++) {
      for (let b = a + 1; b <= to; b++) {
        const got = feed([answer.slice(0, a), answer.slice(a, b), answer.slice(b)]).text;
        if (got !== text) expect({ a, b, got }).toEqual({ a, b, got: text });
      }
    }
  });

  test("a piece that ends in one, two or three backslashes, in the content, a key and the token", () => {
    const answer = body(String.raw`[('h', 'a\\\\\\nb\\\\c')]`, String.raw`x\\y\"z`);
    for (let at = 1; at < answer.length; at++) {
      const head = answer.slice(0, at);
      if (!head.endsWith("\\")) continue;
      expect(feed([head, answer.slice(at)])).toMatchObject(reference(answer));
    }
    expect(reference(answer)).toEqual({ text: "a\\\nb\\c", token: 'x\\y"z' });
  });

  test("a surrogate pair cut between its halves, raw or JSON-escaped, at the start and end of runs", () => {
    const answer = body("[('h', '😀a😀\\\\n😀\\ud83d\\ude00😀')]");
    const text = "😀a😀\n😀😀😀";
    expect(reference(answer).text).toBe(text);
    for (let at = 1; at < answer.length; at++) {
      const outputs = feed([answer.slice(0, at), answer.slice(at)]).outputs;
      expect(outputs.join("")).toBe(text);
    }
  });

  test("long runs in 64 KiB pieces: every escape kind at every position against a piece boundary", () => {
    const escapes = ["\\\\n", "\\\\t", "\\\\'", '\\\\\\\\', '\\\\\\"', "\\\\x1b", "\\\\u00e9", "\\\\U0001f600", "\\u00e9", "\\n", '\\"', "😀"];
    const random = seededRandom(64);
    let contentJson = "[('h', '";
    for (let k = 0; k < 30_000; k++) contentJson += "x".repeat(Math.floor(random() * 9)) + escapes[k % escapes.length]!;
    const answer = body(contentJson + "'), ('g', 'end')]");
    const expected = reference(answer).text;
    for (const size of [65_536, 4_093, 17]) {
      expect(feed(cut(answer, () => size)).text === expected).toBe(true);
    }
    for (let shift = 0; shift < 12; shift++) {
      expect(feed([answer.slice(0, 1000 + shift), ...cut(answer.slice(1000 + shift), () => 997)]).text === expected).toBe(true);
    }
  });

  test.each<[string, string]>([
    ["a control character right after a run of lines", String.raw`[('h', 'a\\nb\\n` + "\t" + String.raw`c')]`],
    ["a '\"' that ends the content inside a run", String.raw`[('h', 'a\\nb`],
    ["a repr escape beyond U+10FFFF written raw (left to the careful path)", String.raw`[('h', 'a\\nb\\U00110000')]`],
    ["a bad \\x escape written raw", String.raw`[('h', 'a\\nb\\x4g')]`],
    ["an unknown repr escape after a run", String.raw`[('h', 'a\\nb\\q')]`],
    ["an unknown repr escape after \\\\ \\\" \\x and \\U escapes", String.raw`[('h', 'a\\\\b\\\"c\\x41\\U0001f600d\\q')]`],
    ["a JSON `\\\\` at the very end of the content", String.raw`[('h', 'a\\nb\\`],
  ])("the same error as the careful path for %s", (_name, contentJson) => {
    const answer = body(contentJson);
    let expected: string;
    try {
      JSON.parse(answer);
      expected = "";
    } catch {
      expected = "not JSON";
    }
    const message = errorOf(answer);
    if (expected === "") {
      // The content is valid JSON: the problem and content offset are parseLogContent's.
      const content = (JSON.parse(answer) as { content: string }).content;
      let reprMessage = "";
      try {
        parseLogContent(content);
      } catch (error) {
        reprMessage = (error as Error).message;
      }
      const [, problem, offset] = /^Malformed Airflow log content: (.*) at offset (\d+)/s.exec(reprMessage)!;
      expect(message).toContain(`Malformed Airflow log content: ${problem} at offset ${offset} of the content`);
    } else {
      expect(message).toMatch(/^Malformed Airflow log answer: unescaped control character in a JSON string at offset \d+; found "\\t"$/);
    }
  });
});
