/**
 * Test vectors shared by the repr parser and stream parser tests: CPython 3.11.7's repr() of
 * strings and str() of (host, text) lists, and a seeded PRNG for the random cases.
 */
import type { LogBlock } from "./python-repr";

/**
 * Expected values produced by CPython 3.11.7 (Unicode 14.0): the inputs were JSON-encoded, read
 * back with `json.loads` (which keeps lone surrogates) and printed with `repr(s)`; the pairs were
 * then written out as JS string literals. Characters assigned after Unicode 14 are left out on
 * purpose: Python 3.11 escapes them as unassigned, the JS engine may not.
 */
export const PYTHON_REPR_VECTORS: Array<[input: string, repr: string]> = [
  ["", "''"],
  ["plain ASCII text", "'plain ASCII text'"],
  ["it's", "\"it's\""],
  ["say \"hi\"", "'say \"hi\"'"],
  ["both ' and \"", "'both \\' and \"'"],
  ["'\"\\", "'\\'\"\\\\'"],
  ["C:\\path\\new\\x41", "'C:\\\\path\\\\new\\\\x41'"],
  ["line1\nline2\ttab\rcr", "'line1\\nline2\\ttab\\rcr'"],
  ["\x00\x01\x07\x08\x0b\x0c\x1f\x7f", "'\\x00\\x01\\x07\\x08\\x0b\\x0c\\x1f\\x7f'"],
  ["\x1b[31mERROR\x1b[0m done", "'\\x1b[31mERROR\\x1b[0m done'"],
  ["\x80\x85\x9f\xa0\xad\xff \xe9t\xe9", "'\\x80\\x85\\x9f\\xa0\\xad\xff \xe9t\xe9'"],
  ["emoji 😀 🦄 CJK 中文 日本語 한국어", "'emoji 😀 🦄 CJK 中文 日本語 한국어'"],
  ["\u2028\u2029 sep, \u200b zwsp \u200e lrm \ufeff bom", "'\\u2028\\u2029 sep, \\u200b zwsp \\u200e lrm \\ufeff bom'"],
  [
    "\u3000 ideographic, \u202f narrow nbsp, \u1680 ogham, \u2000\u200a",
    "'\\u3000 ideographic, \\u202f narrow nbsp, \\u1680 ogham, \\u2000\\u200a'",
  ],
  ["lone high \ud800 and lone low \udc00", "'lone high \\ud800 and lone low \\udc00'"],
  ["low then high \udc00\ud800", "'low then high \\udc00\\ud800'"],
  ["private \ue000 \u{f0000} \u{10fffd}", "'private \\ue000 \\U000f0000 \\U0010fffd'"],
  [
    "tag \u{e0001} musical 𝄞 unassigned \u0378 nonchars \ufffe\uffff",
    "'tag \\U000e0001 musical 𝄞 unassigned \\u0378 nonchars \\ufffe\\uffff'",
  ],
  ["family 👨\u200d👩\u200d👧 e\u0301", "'family 👨\\u200d👩\\u200d👧 e\u0301'"],
  ["arabic \u0600 mark, soft\xadhyphen", "'arabic \\u0600 mark, soft\\xadhyphen'"],
  [
    "*** Found local files:\n***   * /opt/airflow/logs/dag_id=d/run_id=r/task_id=t/attempt=1.log\n[2024-01-01T00:00:00.000+0000] {taskinstance.py:1} INFO - it's \"done\"\n",
    "'*** Found local files:\\n***   * /opt/airflow/logs/dag_id=d/run_id=r/task_id=t/attempt=1.log\\n[2024-01-01T00:00:00.000+0000] {taskinstance.py:1} INFO - it\\'s \"done\"\\n'",
  ],
];

/**
 * `str(list_of_tuples)` printed by CPython 3.11.7, next to the tuples it was made from, the same
 * way Airflow's marshmallow `fields.Str` turns the log reader's list into `content`.
 */
export const PYTHON_CONTENT_VECTORS: Array<[content: string, blocks: LogBlock[]]> = [
  [
    "[('localhost', '*** Found local files:\\n***   * /path/attempt=1.log\\nLog for testing.')]",
    [{ host: "localhost", text: "*** Found local files:\n***   * /path/attempt=1.log\nLog for testing." }],
  ],
  ["[]", []],
  ["[('h', '')]", [{ host: "h", text: "" }]],
  ["[('', 'no host')]", [{ host: "", text: "no host" }]],
  [
    "[('worker-1', 'a'), ('worker-2', \"it's\")]",
    [
      { host: "worker-1", text: "a" },
      { host: "worker-2", text: "it's" },
    ],
  ],
  [
    "[(\"o'host\", 'both \\' and \"'), ('w', '\\x1b[1;31mERR\\x1b[0m\\t😀 中文\\u2028\\\\')]",
    [
      { host: "o'host", text: "both ' and \"" },
      { host: "w", text: "\x1b[1;31mERR\x1b[0m\t😀 中文\u2028\\" },
    ],
  ],
];

/** Small seeded PRNG (mulberry32) so the random cases are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
