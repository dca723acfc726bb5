/**
 * Airflow 3's log answers decoded as they stream in (src/wire/v2/log-stream.ts) give what decoding
 * them whole gives (test/support/v2-log-answers.ts decodeWhole): the same records, text and token,
 * or the same error, for any records (full Unicode, lone surrogates, odd shapes), any key order,
 * whitespace and escaping of the document, with or without a one-character fault, cut anywhere.
 */
import fc from "fast-check";
import { cut, decodePieces, decodeWhole, outcome } from "../support/v2-log-answers";

const RUNS = 1000;
const TIMEOUT = 120_000;

const special = fc.constantFrom('"', "\\", "\n", "\t", "]", "}", ",", ":", "{", "[", "é", "\u2028", "\ud83d\ude00", "\ud800", "\udfff", "::endgroup::", "::group::Log message source details");
const text = fc.string({ unit: fc.oneof({ arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 3 }, { arbitrary: special, weight: 2 }), maxLength: 30 });

/** A record as Airflow writes one, with optional fields and extra keys of any JSON value. */
const record = fc.record(
  {
    timestamp: fc.option(fc.constantFrom("2026-12-06T01:44:26.795827Z", ""), { nil: null }),
    event: text,
    level: fc.constantFrom("info", "warning", "error", ""),
    logger: fc.constantFrom("task", "airflow.task.operators", "task.stdout"),
    error_detail: fc.jsonValue({ maxDepth: 3 }),
    lineno: fc.integer(),
  },
  { requiredKeys: ["event"] },
);
/** Mostly good items; now and then one that is refused (no string event, or not a record). */
const item = fc.oneof({ arbitrary: record, weight: 8 }, { arbitrary: text, weight: 2 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
const block = fc.constantFrom([], [{ event: "::group::Log message source details" }, { event: "/logs/attempt=1.log" }, { event: "::endgroup::" }], [{ event: "::group::Log message source details" }, { event: "/logs/attempt=1.log" }]);

const answer = fc.record({
  head: block,
  items: fc.array(item, { maxLength: 8 }),
  token: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: text, weight: 3 }, { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 }),
  omit: fc.constantFrom(undefined, undefined, undefined, undefined, "content", "continuation_token"),
  // Other keys never near "content" or "continuation_token", whose value is ignored.
  extra: fc.array(fc.tuple(text.map((key) => `x${key}`), fc.jsonValue({ maxDepth: 3 })), { maxLength: 3 }),
  order: fc.nat(),
  indent: fc.constantFrom(undefined, 1, "\t", " \r\n"),
  asciiOnly: fc.boolean(),
  fault: fc.option(fc.tuple(fc.nat(), fc.constantFrom("", '"', "\\", "{", "}", "[", "]", ",", ":", " ", "x", "0")), { freq: 3 }),
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
  dropSourceDetails: fc.boolean(),
});

test(
  "any answer, cut anywhere, decodes as it does whole: the same records, text and token, or the same error",
  () => {
    const seen = { decoded: 0, refused: 0 };
    fc.assert(
      fc.property(answer, (a) => {
        const members: Array<[string, unknown]> = [["content", [...a.head, ...a.items]], ["continuation_token", a.token], ...a.extra];
        const kept = members.filter(([key]) => key !== a.omit);
        // A rotation, so that the token comes before, between or after the other keys.
        const order = kept.map((_, i) => kept[(i + a.order) % kept.length]!);
        let body = JSON.stringify(Object.fromEntries(order), null, a.indent);
        // Python's json.dumps escapes every non-ASCII character (ensure_ascii).
        if (a.asciiOnly) body = body.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
        if (a.fault) {
          const at = a.fault[0] % (body.length + 1);
          body = body.slice(0, at) + a.fault[1] + body.slice(at + 1);
        }
        const options = { dropSourceDetails: a.dropSourceDetails };
        const expected = outcome(decodeWhole(body, options));
        seen[expected && typeof expected === "object" && "error" in expected ? "refused" : "decoded"] += 1;
        expect(outcome(decodePieces(cut(body, a.cuts.map((at) => at % (body.length + 1))), options))).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
    // Neither side of the property is left untried.
    expect(seen.decoded).toBeGreaterThan(RUNS / 5);
    expect(seen.refused).toBeGreaterThan(RUNS / 5);
  },
  TIMEOUT,
);
