/**
 * The streaming decoder of Airflow 3's log answers (src/wire/v2/log-stream.ts) against the whole-body
 * decoding it replaced (test/support/v2-log-answers.ts decodeWhole): the same text, records, token
 * and errors for answers cut at every position and in random pieces, and text given back as soon as
 * each record is complete, not at the end of the answer.
 */
import { AirflowError } from "../../src/errors";
import { renderLogRecord, renderLogText, type LogRecord } from "../../src/wire/v2/log-records";
import { createV2LogStream } from "../../src/wire/v2/log-stream";
import { cut, decodePieces, decodeWhole, outcome } from "../support/v2-log-answers";

const TOKEN = "eyJlbmRfb2ZfbG9nIjpmYWxzZSwibG9nX3BvcyI6MTB9.7ly7geWvb5V-YSEVUpf9vllvHIs";

/** The start of `chatty` try 1's answer, byte for byte as Airflow 3.3.2 sent it (airflow3-captures.md §H). */
const CAPTURED_RECORDS =
  '{"event":"::group::Log message source details"},{"event":"<airflow-home>/logs/dag_id=af3_probe/run_id=probe_run_1/task_id=chatty/attempt=1.log"},{"event":"::endgroup::"},' +
  '{"timestamp":"2026-12-06T01:44:26.795827Z","event":"::group::Pre Execute","level":"info","logger":"task","filename":"task_runner.py","lineno":2412},' +
  '{"timestamp":"2026-12-06T01:44:37.036130Z","event":"DAG bundles loaded: dags-folder","level":"info","task_id":"chatty","ti_id":"01a24906-1428-7da2-8c11-271b1d058e3a","map_index":-1,"dag_id":"af3_probe","try_number":1,"run_id":"probe_run_1","logger":"airflow.dag_processing.bundles.manager.DagBundlesManager","filename":"manager.py","lineno":304},' +
  '{"timestamp":"2026-12-06T01:44:37.071333Z","event":"Filling up the DagBag from <airflow-home>/dags/af3_probe.py","level":"info","task_id":"chatty","ti_id":"01a24906-1428-7da2-8c11-271b1d058e3a","map_index":-1,"dag_id":"af3_probe","try_number":1,"run_id":"probe_run_1","logger":"airflow.dag_processing.dagbag.BundleDagBag","filename":"dagbag.py","lineno":460},' +
  '{"timestamp":"2026-12-06T01:44:37.416520Z","event":"Worker startup parse complete","level":"info","bundle_name":"dags-folder","bundle_version":null,"dag_file":"af3_probe.py","dag_id":"af3_probe","bundle_prepare_ms":36,"dag_file_parse_ms":345,"task_id":"chatty","ti_id":"01a24906-1428-7da2-8c11-271b1d058e3a","map_index":-1,"try_number":1,"run_id":"probe_run_1","logger":"task","filename":"task_runner.py","lineno":1073}';
const CAPTURED = `{"content":[${CAPTURED_RECORDS}],"continuation_token":null}`;

/** boom's exception record as captured, with Python's separators and ensure_ascii escapes. */
const BOOM =
  '{"timestamp": "2026-12-06T01:44:37.662678Z", "event": "Task failed with exception", "level": "error", "try_number": 1, "task_id": "boom", "run_id": "probe_run_1", "dag_id": "af3_probe", "map_index": -1, "ti_id": "01a24906-1429-7d37-946e-594fd029b1a7", "logger": "task", "filename": "task_runner.py", "lineno": 1676, "error_detail": [{"exc_type": "ValueError", "exc_value": "intentional failure for probing", "exc_notes": [], "syntax_error": null, "is_cause": false, "frames": [{"filename": "<venv>/lib/python3.11/site-packages/airflow/sdk/execution_time/task_runner.py", "lineno": 1579, "name": "_run_task_and_map_outcome"}, "\\u202611 more frames\\u2026"], "is_group": false, "exceptions": []}]}';

/** Escapes of every kind: quotes, backslashes, newlines, \u escapes (a surrogate pair included) and raw non-ASCII. */
const ESCAPED =
  '{"timestamp": "2026-12-06T01:44:37.5Z", "event": "warning line 2 with unicode: \\u00e9\\u00e8 \\u2713 and \\ud83d\\ude00 and raw \u00e9 \ud83d\ude80", "level": "warning", "logger": "probe"}, ' +
  '{"event": "multi\\nline\\nmessage with \\"quotes\\", a \\\\ backslash, a } brace, a ] bracket and \\/ \\b\\f\\r\\t", "level": "info", "logger": "probe"}, ' +
  '"a plain string item with ] and } and , and \\"", "", {"event": ""}';

const RUNNING_BLOCK =
  '{"event":"::group::Log message source details"},{"event":"<airflow-home>/logs/dag_id=af3_slow/run_id=slow_1/task_id=slow/attempt=1.log"},{"event":"http://vm:38793/log/dag_id=af3_slow/run_id=slow_1/task_id=slow/attempt=1.log"},{"event":"::endgroup::"}';
const tick = (i: number) => `{"timestamp":"2026-12-06T01:45:0${i}.000000Z","event":"tick ${i}","level":"info","logger":"unusual_prefix_93f5_af3_slow","task_id":"slow","map_index":-1,"try_number":1}`;

/** Answers that decode, in the shapes Airflow sends and in every legal variation of the document around them. */
const GOOD: Record<string, string> = {
  "a finished try (captured)": CAPTURED,
  "a running try with a token": `{"content":[${RUNNING_BLOCK},${tick(0)},${tick(1)},${tick(2)}],"continuation_token":"${TOKEN}"}`,
  "a read from a token: no block": `{"content":[${tick(5)},${tick(6)}],"continuation_token":"${TOKEN}"}`,
  "an exception record": `{"content": [${BOOM}], "continuation_token": null}`,
  "escapes and string items": `{"content": [${ESCAPED}], "continuation_token": null}`,
  "the token first": `{"continuation_token":"${TOKEN}","content":[${CAPTURED_RECORDS}]}`,
  "pretty-printed with CRLF and tabs": JSON.stringify(JSON.parse(CAPTURED), null, "\t").replace(/\n/g, "\r\n"),
  "whitespace everywhere": ` \n{ "content" :\t[ ${tick(1)} ,\r\n ${tick(2)} ] ,\n "continuation_token" : null } \n`,
  "other keys, nested, with brackets in strings": `{"x":{"content":[1,"]"],"a":"}"},"content":[${tick(3)}],"y":[null,true,false,-1.5e3,{"z":"\\"}"}],"continuation_token":null,"w":"]}"}`,
  "escaped key names": `{"\\u0063ontent":[${tick(4)}],"continuation_\\u0074oken":null}`,
  "the token given twice: the last counts": `{"continuation_token":"first","content":[],"continuation_token":"${TOKEN}"}`,
  "empty content": '{"content":[],"continuation_token":null}',
  "empty content with spaces": '{"content":[ \n ],"continuation_token":null}',
  "only the block, unclosed": `{"content":[{"event":"::group::Log message source details"},{"event":"/logs/a.log"}],"continuation_token":"${TOKEN}"}`,
  "the block as string items": '{"content":["::group::Log message source details","/logs/a.log","::endgroup::","line"],"continuation_token":null}',
};

/** Answers that are refused, each for one of the reasons, or for two at once (the first named wins as before). */
const BAD: Record<string, string> = {
  "an HTML error page": "<html><title>502 Bad Gateway</title></html>",
  empty: "",
  "only whitespace": " \n ",
  "a byte-order mark": `\ufeff${CAPTURED}`,
  "an array": "[]",
  null: "null",
  "a string": '"text"',
  "a number then junk": "3 x",
  "no content": '{"continuation_token":null}',
  "content as v1's string": '{"content":"*** Found local files:\\nline\\n","continuation_token":null}',
  "content null": '{"content":null,"continuation_token":null}',
  "a record without event": '{"content":[{"event":"a"},{"timestamp":"T"}],"continuation_token":null}',
  "a null event": '{"content":[{"event":null}],"continuation_token":null}',
  "a number record": '{"content":[{"event":"a"},3],"continuation_token":null}',
  "a null record": '{"content":[null],"continuation_token":null}',
  "an array record": '{"content":[["a"]],"continuation_token":null}',
  "no token": '{"content":[]}',
  "a number token": '{"content":[],"continuation_token":7}',
  "an object token": '{"content":[],"continuation_token":{"log_pos":3}}',
  "a bad token before a bad record": '{"continuation_token":7,"content":[{"event":"a"},3,{}]}',
  "a bad record, then not JSON": '{"content":[3,{"event":"a"}],"continuation_token":null} x',
  "a bad record, then cut short": '{"content":[3,{"event":"a"}],"continuation_token":null',
  "cut inside a record": '{"content":[{"event":"a"},{"event":"b',
  "cut after the records": '{"content":[{"event":"a"}]',
  "a trailing comma in content": '{"content":[{"event":"a"},],"continuation_token":null}',
  "a trailing comma in the object": '{"content":[],"continuation_token":null,}',
  "a missing comma": '{"content":[] "continuation_token":null}',
  "a missing colon": '{"content" [],"continuation_token":null}',
  "a key that is not a string": '{1:2,"content":[],"continuation_token":null}',
  "a single-quoted key": "{'content':[],\"continuation_token\":null}",
  "junk after the object": '{"content":[],"continuation_token":null}}',
  "a raw newline in a string": '{"content":[{"event":"a\nb"}],"continuation_token":null}',
  "a bad escape": '{"content":[{"event":"a\\x41"}],"continuation_token":null}',
  "a bad number": '{"content":[],"continuation_token":null,"n":01}',
  "a misspelled literal": '{"content":[],"continuation_token":nul}',
  "mismatched brackets in a record": '{"content":[{"event":"a"]],"continuation_token":null}',
  "a comma for a record": '{"content":[,],"continuation_token":null}',
};

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomCuts(body: string, next: () => number): number[] {
  const count = Math.floor(next() * 12);
  return Array.from({ length: count }, () => Math.floor(next() * (body.length + 1)));
}

const both = [{ dropSourceDetails: false }, { dropSourceDetails: true }] as const;

describe("the same outcome as decoding the whole answer", () => {
  test.each(Object.entries(GOOD))("%s: cut at every position, and in random pieces", (_name, body) => {
    for (const options of both) {
      const whole = outcome(decodeWhole(body, options));
      expect(whole).not.toHaveProperty("error");
      expect(outcome(decodePieces([body], options))).toEqual(whole);
      for (let at = 0; at <= body.length; at += 1) {
        const pieces = cut(body, [at]);
        const got = outcome(decodePieces(pieces, options));
        if (JSON.stringify(got) !== JSON.stringify(whole)) expect({ at, got }).toEqual({ at, got: whole });
      }
      expect(outcome(decodePieces([...body], options))).toEqual(whole);
      const next = random(body.length);
      for (let run = 0; run < 200; run += 1) {
        const offsets = randomCuts(body, next);
        const got = outcome(decodePieces(cut(body, offsets), options));
        if (JSON.stringify(got) !== JSON.stringify(whole)) expect({ offsets, got }).toEqual({ offsets, got: whole });
      }
    }
  });

  test.each(Object.entries(BAD))("%s: the same error, wherever it is cut", (_name, body) => {
    const whole = outcome(decodeWhole(body));
    expect(whole).toMatchObject({ error: "AirflowError", message: expect.stringMatching(/^Malformed Airflow log answer: /) });
    for (let at = 0; at <= body.length; at += 1) {
      expect({ at, got: outcome(decodePieces(cut(body, [at]))) }).toEqual({ at, got: whole });
    }
    expect(outcome(decodePieces([...body]))).toEqual(whole);
  });

  test("every truncation of a real answer is not JSON, as before", () => {
    for (let length = 0; length < CAPTURED.length; length += 1) {
      const body = CAPTURED.slice(0, length);
      expect({ length, got: outcome(decodePieces([body])) }).toEqual({ length, got: outcome(decodeWhole(body)) });
    }
  });

  test("every one-character change of a small answer gives what decoding it whole gives", () => {
    const body = `{"content":[{"event":"a\\"]}","level":"info"},"s",{"event":"b","n":[1,{"k":null}]}],"x":[true,-2e1],"continuation_token":"t"}`;
    const replacements = ['"', "\\", "{", "}", "[", "]", ",", ":", " ", "x", "1", "n", ""];
    const next = random(7);
    for (let at = 0; at < body.length; at += 1) {
      for (const by of replacements) {
        const changed = body.slice(0, at) + by + body.slice(at + 1);
        const whole = outcome(decodeWhole(changed));
        expect({ changed, got: outcome(decodePieces([changed])) }).toEqual({ changed, got: whole });
        const offsets = randomCuts(changed, next);
        expect({ changed, offsets, got: outcome(decodePieces(cut(changed, offsets))) }).toEqual({ changed, offsets, got: whole });
      }
    }
  });

  test("a body that is not JSON keeps a SyntaxError as its cause, however it was cut", () => {
    for (const body of ["{", "", "<html>", '{"content":[] x', '{"content":[{"event":"a"]]}']) {
      for (const pieces of [[body], [...body]]) {
        const decoded = decodePieces(pieces);
        expect("error" in decoded && decoded.error).toBeInstanceOf(AirflowError);
        expect((decoded as { error: Error }).error).toMatchObject({ message: "Malformed Airflow log answer: not JSON", cause: expect.any(SyntaxError) });
      }
    }
  });

  test("the one difference, which only a hand-made body shows: a second content key is refused", () => {
    // JSON.parse keeps the last content; the first one's records may have been passed on already.
    const body = `{"content":[${tick(1)}],"continuation_token":null,"content":[${tick(2)}]}`;
    expect(outcome(decodeWhole(body))).toMatchObject({ records: [JSON.parse(tick(2))] });
    expect(outcome(decodePieces([body]))).toMatchObject({ message: "Malformed Airflow log answer: content is given twice" });
  });
});

describe("streaming: text is given back as each record completes, not at the end", () => {
  const records = JSON.parse(CAPTURED).content as LogRecord[];

  test("fed one character at a time, each record's text comes with the character that closes it", () => {
    const { texts } = decodePieces([...CAPTURED]);
    let from = 0;
    const closing = records.map((record) => {
      const at = CAPTURED.indexOf(JSON.stringify(record), from);
      expect(at).toBeGreaterThan(0);
      from = at + JSON.stringify(record).length;
      return from - 1;
    });
    const given = texts.flatMap((text, at) => (text === "" ? [] : [at]));
    expect(given).toEqual(closing);
    expect(closing.map((at) => texts[at])).toEqual(records.map((record) => `${renderLogRecord(record)}\n`));
  });

  test("the first records are passed on before the answer ends, the source-details block left out", () => {
    const stream = createV2LogStream({ dropSourceDetails: true });
    const preExecute = '"lineno":2412}';
    const first = stream.push(CAPTURED.slice(0, CAPTURED.indexOf(preExecute) + preExecute.length));
    expect(first).toEqual({ records: [records[3]], text: `${renderLogRecord(records[3]!)}\n` });
  });

  test("a long answer in 8 KiB pieces: each push gives the records it completed, so what is held stays one record and one piece", () => {
    const count = 20_000;
    const record = (i: number) => ({ timestamp: "2026-12-06T01:45:00.000000Z", event: `line ${i} ${"y".repeat(i % 97)}`, level: "info", logger: "task" });
    // The body is produced piece by piece and never whole, as it arrives from the network.
    function* pieces(): Generator<string> {
      let pending = '{"content":[';
      for (let i = 0; i < count; i += 1) {
        pending += (i ? "," : "") + JSON.stringify(record(i));
        while (pending.length >= 8192) {
          yield pending.slice(0, 8192);
          pending = pending.slice(8192);
        }
      }
      yield `${pending}],"continuation_token":null}`;
    }
    const stream = createV2LogStream({ dropSourceDetails: false });
    let decoded = 0;
    let largest = 0;
    for (const piece of pieces()) {
      const out = stream.push(piece);
      const expected = Array.from(out.records, (_, k) => record(decoded + k));
      if (JSON.stringify(out.records) !== JSON.stringify(expected) || out.text !== renderLogText(expected)) expect({ decoded, out }).toEqual({ decoded, out: expected });
      decoded += out.records.length;
      largest = Math.max(largest, out.records.length);
    }
    expect(stream.end()).toEqual({ token: null });
    expect(decoded).toBe(count);
    // A piece of 8 KiB holds at most a few dozen of these records.
    expect(largest).toBeLessThan(100);
  });

  test("a record that spans many pieces is given once, when its last piece arrives", () => {
    const big = { event: "x".repeat(100_000), level: "info", logger: "task" };
    const body = JSON.stringify({ content: [big, "after"], continuation_token: null });
    const after = body.indexOf('"after"');
    const offsets = [...Array.from({ length: Math.floor(after / 1024) }, (_, i) => (i + 1) * 1024), after];
    const { texts, ...decoded } = decodePieces(cut(body, offsets));
    expect("text" in decoded && decoded.text === `INFO task - ${big.event}\nafter\n`).toBe(true);
    expect(decoded).toMatchObject({ records: [big, "after"], token: null });
    // Given by the piece that closes it, and only by that one.
    expect(texts.map((text) => text.length)).toEqual([...Array(offsets.length - 1).fill(0), `INFO task - ${big.event}\n`.length, "after\n".length]);
  });

  test("a wrong record stops the text there, and the answer fails at its end", () => {
    const body = `{"content":[${tick(1)},3,${tick(2)}],"continuation_token":null}`;
    const decoded = decodePieces([...body]);
    expect(decoded.texts.join("")).toBe(`${renderLogRecord(JSON.parse(tick(1)))}\n`);
    expect(outcome(decoded)).toMatchObject({ message: "Malformed Airflow log answer: content[1] is neither a record nor a string" });
  });
});
