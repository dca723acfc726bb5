/**
 * CPython's `repr()` of a `str`, for 2.x's log `content` (the repr of a list of `(host, text)`
 * tuples; airflow-server-facts.md section 7). The same port as test/support/python-repr.ts, which
 * also parses it back; kept here so the published fake carries no test code.
 *
 * Quotes: single, unless the value holds `'` and no `"`. The backslash and the chosen quote are
 * escaped; tab, LF and CR become `\t`, `\n`, `\r`; every other character Python's
 * `str.isprintable()` rejects becomes `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
 */
export function pythonStringRepr(value: string): string {
  const useDouble = value.includes("'") && !value.includes('"');
  const quote = useDouble ? '"' : "'";
  return quote + value.replace(useDouble ? IN_DOUBLE : IN_SINGLE, escape) + quote;
}

// `[^\P{Zs} ]` is "a space separator other than U+0020".
const IN_SINGLE = /[\\'\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/gu;
const IN_DOUBLE = /[\\"\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/gu;
const SIMPLE: Readonly<Record<string, string>> = { "\\": "\\\\", "'": "\\'", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function escape(char: string): string {
  const simple = SIMPLE[char];
  if (simple) return simple;
  const code = char.codePointAt(0)!;
  if (code < 0x100) return "\\x" + code.toString(16).padStart(2, "0");
  if (code < 0x10000) return "\\u" + code.toString(16).padStart(4, "0");
  return "\\U" + code.toString(16).padStart(8, "0");
}

/** `[(host, text), ...]` as Python's str() of the list writes it. */
export function pythonLogContent(blocks: ReadonlyArray<readonly [string, string]>): string {
  return `[${blocks.map(([host, text]) => `(${pythonStringRepr(host)}, ${pythonStringRepr(text)})`).join(", ")}]`;
}
