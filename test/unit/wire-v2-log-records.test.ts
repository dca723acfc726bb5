import { AirflowError } from "../../src/errors";
import { dropSourceDetails, renderLogRecord, renderLogText, sourceDetailsFilter, type LogRecord } from "../../src/wire/v2/log-records";
import { decodePieces } from "../support/v2-log-answers";

/** The streaming decoder (src/wire/v2/log-stream.ts) fed the whole body at once; throws as it does. */
function decodeV2LogAnswer(body: string) {
  const { texts: _texts, ...decoded } = decodePieces([body]);
  if ("error" in decoded) throw decoded.error;
  return decoded;
}

// Records as Airflow 3.3.2 sent them (airflow3-captures.md §H).
const PROBE_LOGGER = "unusual_prefix_93f5296b9e72ba6ac1a6697d95ecd4b4e9c872cb_af3_probe";

/** The first records of `chatty` try 1, whole, from the JSON answer's captured head. */
const CHATTY_HEAD: LogRecord[] = [
  { event: "::group::Log message source details" },
  { event: "<airflow-home>/logs/dag_id=af3_probe/run_id=probe_run_1/task_id=chatty/attempt=1.log" },
  { event: "::endgroup::" },
  { timestamp: "2026-12-06T01:44:26.795827Z", event: "::group::Pre Execute", level: "info", logger: "task", filename: "task_runner.py", lineno: 2412 },
  {
    timestamp: "2026-12-06T01:44:37.036130Z",
    event: "DAG bundles loaded: dags-folder",
    level: "info",
    task_id: "chatty",
    ti_id: "01a24906-1428-7da2-8c11-271b1d058e3a",
    map_index: -1,
    dag_id: "af3_probe",
    try_number: 1,
    run_id: "probe_run_1",
    logger: "airflow.dag_processing.bundles.manager.DagBundlesManager",
    filename: "manager.py",
    lineno: 304,
  },
  {
    timestamp: "2026-12-06T01:44:37.071333Z",
    event: "Filling up the DagBag from <airflow-home>/dags/af3_probe.py",
    level: "info",
    task_id: "chatty",
    ti_id: "01a24906-1428-7da2-8c11-271b1d058e3a",
    map_index: -1,
    dag_id: "af3_probe",
    try_number: 1,
    run_id: "probe_run_1",
    logger: "airflow.dag_processing.dagbag.BundleDagBag",
    filename: "dagbag.py",
    lineno: 460,
  },
  {
    timestamp: "2026-12-06T01:44:37.416520Z",
    event: "Worker startup parse complete",
    level: "info",
    bundle_name: "dags-folder",
    bundle_version: null,
    dag_file: "af3_probe.py",
    dag_id: "af3_probe",
    bundle_prepare_ms: 36,
    dag_file_parse_ms: 345,
    task_id: "chatty",
    ti_id: "01a24906-1428-7da2-8c11-271b1d058e3a",
    map_index: -1,
    try_number: 1,
    run_id: "probe_run_1",
    logger: "task",
    filename: "task_runner.py",
    lineno: 1073,
  },
];

const CHATTY_HEAD_TEXT =
  "::group::Log message source details\n" +
  "<airflow-home>/logs/dag_id=af3_probe/run_id=probe_run_1/task_id=chatty/attempt=1.log\n" +
  "::endgroup::\n" +
  "[2026-12-06T01:44:26.795827Z] INFO task - ::group::Pre Execute\n" +
  "[2026-12-06T01:44:37.036130Z] INFO airflow.dag_processing.bundles.manager.DagBundlesManager - DAG bundles loaded: dags-folder\n" +
  "[2026-12-06T01:44:37.071333Z] INFO airflow.dag_processing.dagbag.BundleDagBag - Filling up the DagBag from <airflow-home>/dags/af3_probe.py\n" +
  "[2026-12-06T01:44:37.416520Z] INFO task - Worker startup parse complete\n";

/** All 19 records of `chatty` try 1, as captured: event, level and logger only. */
const CHATTY_19: LogRecord[] = [
  { event: "::group::Log message source details" },
  { event: "<airflow-home>/logs/dag_id=af3_probe/run_id=probe_run_1/task_id=chatty/attempt=1.log" },
  { event: "::endgroup::" },
  { event: "::group::Pre Execute", level: "info", logger: "task" },
  { event: "DAG bundles loaded: dags-folder", level: "info", logger: "airflow.dag_processing.bundles.manager.DagBundlesManager" },
  { event: "Filling up the DagBag from <airflow-home>/dags/af3_probe.py", level: "info", logger: "airflow.dag_processing.dagbag.BundleDagBag" },
  { event: "Worker startup parse complete", level: "info", logger: "task" },
  { event: "::endgroup::", level: "info", logger: "task" },
  { event: "info line 1 from logging", level: "info", logger: PROBE_LOGGER },
  { event: "warning line 2 with unicode: éè ✓", level: "warning", logger: PROBE_LOGGER },
  { event: "multi\nline\nmessage", level: "info", logger: PROBE_LOGGER },
  { event: "loop line 0", level: "info", logger: PROBE_LOGGER },
  { event: "loop line 1", level: "info", logger: PROBE_LOGGER },
  { event: "loop line 2", level: "info", logger: PROBE_LOGGER },
  { event: "Done. Returned value was: done", level: "info", logger: "airflow.task.operators.airflow.providers.standard.decorators.python._PythonDecoratedOperator" },
  { event: "::group::Post Execute", level: "info", logger: "task" },
  { event: "Pushing xcom", level: "info", logger: "task" },
  { event: "hello from print()", level: "info", logger: "task.stdout" },
  { event: "::endgroup::", level: "info", logger: "task" },
];

const CHATTY_19_LINES = [
  "::group::Log message source details",
  "<airflow-home>/logs/dag_id=af3_probe/run_id=probe_run_1/task_id=chatty/attempt=1.log",
  "::endgroup::",
  "INFO task - ::group::Pre Execute",
  "INFO airflow.dag_processing.bundles.manager.DagBundlesManager - DAG bundles loaded: dags-folder",
  "INFO airflow.dag_processing.dagbag.BundleDagBag - Filling up the DagBag from <airflow-home>/dags/af3_probe.py",
  "INFO task - Worker startup parse complete",
  "INFO task - ::endgroup::",
  `INFO ${PROBE_LOGGER} - info line 1 from logging`,
  `WARNING ${PROBE_LOGGER} - warning line 2 with unicode: éè ✓`,
  `INFO ${PROBE_LOGGER} - multi\nline\nmessage`,
  `INFO ${PROBE_LOGGER} - loop line 0`,
  `INFO ${PROBE_LOGGER} - loop line 1`,
  `INFO ${PROBE_LOGGER} - loop line 2`,
  "INFO airflow.task.operators.airflow.providers.standard.decorators.python._PythonDecoratedOperator - Done. Returned value was: done",
  "INFO task - ::group::Post Execute",
  "INFO task - Pushing xcom",
  "INFO task.stdout - hello from print()",
  "INFO task - ::endgroup::",
];

/** boom's exception record, whole (the capture itself shortened the frames to one and a note). */
const BOOM: LogRecord = {
  timestamp: "2026-12-06T01:44:37.662678Z",
  event: "Task failed with exception",
  level: "error",
  try_number: 1,
  task_id: "boom",
  run_id: "probe_run_1",
  dag_id: "af3_probe",
  map_index: -1,
  ti_id: "01a24906-1429-7d37-946e-594fd029b1a7",
  logger: "task",
  filename: "task_runner.py",
  lineno: 1676,
  error_detail: [
    {
      exc_type: "ValueError",
      exc_value: "intentional failure for probing",
      exc_notes: [],
      syntax_error: null,
      is_cause: false,
      frames: [{ filename: "<venv>/lib/python3.11/site-packages/airflow/sdk/execution_time/task_runner.py", lineno: 1579, name: "_run_task_and_map_outcome" }, "…11 more frames…"],
      is_group: false,
      exceptions: [],
    },
  ],
};

const frame = (name: string, lineno: number, filename = "/dags/probe.py") => ({ filename, lineno, name });
const stack = (fields: Record<string, unknown>) => ({ exc_notes: [], syntax_error: null, is_cause: false, frames: [], is_group: false, exceptions: [], ...fields });

describe("renderLogRecord", () => {
  test("chatty's 19 records, each as its documented line", () => {
    expect(CHATTY_19.map(renderLogRecord)).toEqual(CHATTY_19_LINES);
  });

  test("whole records: the timestamp in brackets first, extra keys left out", () => {
    expect(renderLogText(CHATTY_HEAD)).toBe(CHATTY_HEAD_TEXT);
  });

  test("the unicode line and the multi-line message are copied unchanged, without a trailing newline", () => {
    const unicode = { timestamp: "2026-12-06T01:44:37.5Z", event: "warning line 2 with unicode: éè ✓", level: "warning", logger: PROBE_LOGGER };
    expect(renderLogRecord(unicode)).toBe(`[2026-12-06T01:44:37.5Z] WARNING ${PROBE_LOGGER} - warning line 2 with unicode: éè ✓`);
    const multi = { timestamp: "2026-12-06T01:44:37.6Z", event: "multi\nline\nmessage", level: "info", logger: PROBE_LOGGER };
    expect(renderLogRecord(multi)).toBe(`[2026-12-06T01:44:37.6Z] INFO ${PROBE_LOGGER} - multi\nline\nmessage`);
  });

  test("boom's exception record: a Python-style traceback after the line; a frame that is not an object as indented JSON", () => {
    expect(renderLogRecord(BOOM)).toBe(
      "[2026-12-06T01:44:37.662678Z] ERROR task - Task failed with exception\n" +
        "Traceback (most recent call last):\n" +
        '  File "<venv>/lib/python3.11/site-packages/airflow/sdk/execution_time/task_runner.py", line 1579, in _run_task_and_map_outcome\n' +
        '  "…11 more frames…"\n' +
        "ValueError: intentional failure for probing",
    );
  });

  test("absent parts are left out cleanly", () => {
    expect(renderLogRecord({ event: "e" })).toBe("e");
    expect(renderLogRecord({ event: "e", timestamp: null })).toBe("e");
    expect(renderLogRecord({ event: "e", timestamp: "T" })).toBe("[T] e");
    expect(renderLogRecord({ event: "e", level: "debug" })).toBe("DEBUG - e");
    expect(renderLogRecord({ event: "e", logger: "l" })).toBe("l - e");
    expect(renderLogRecord({ event: "e", timestamp: "T", logger: "l" })).toBe("[T] l - e");
    expect(renderLogRecord({ event: "e", timestamp: "T", level: "Critical" })).toBe("[T] CRITICAL - e");
    expect(renderLogRecord({ event: "", timestamp: "T", level: "info", logger: "l" })).toBe("[T] INFO l - ");
    expect(renderLogRecord({ event: "e", timestamp: "", level: "", logger: "" })).toBe("e");
  });

  test("a string content item renders as itself", () => {
    expect(renderLogRecord("[2026-12-06, 01:44:37 UTC] {x.py:1} INFO - old style")).toBe("[2026-12-06, 01:44:37 UTC] {x.py:1} INFO - old style");
  });

  test("a chain is printed innermost first, with Python's separators", () => {
    const record = {
      event: "Task failed with exception",
      level: "error",
      error_detail: [
        stack({ exc_type: "RuntimeError", exc_value: "could not load", frames: [frame("execute", 10), frame("load", 20)] }),
        stack({ exc_type: "KeyError", exc_value: "'conn'", is_cause: true, frames: [frame("lookup", 30)], exc_notes: ["while reading the connection", "second note"] }),
        stack({ exc_type: "OSError", exc_value: "", is_cause: false, frames: [frame("open", 40, "/usr/lib/python3.11/io.py")] }),
      ],
    };
    expect(renderLogRecord(record)).toBe(
      [
        "ERROR - Task failed with exception",
        "Traceback (most recent call last):",
        '  File "/usr/lib/python3.11/io.py", line 40, in open',
        "OSError",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        '  File "/dags/probe.py", line 30, in lookup',
        "KeyError: 'conn'",
        "while reading the connection",
        "second note",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        '  File "/dags/probe.py", line 10, in execute',
        '  File "/dags/probe.py", line 20, in load',
        "RuntimeError: could not load",
      ].join("\n"),
    );
  });

  test("structlog's skipped-frames marker, an exception without frames, and a syntax error", () => {
    const record = {
      event: "boom",
      error_detail: [
        stack({ exc_type: "RecursionError", exc_value: "maximum recursion depth exceeded", frames: [frame("f", 1), { filename: "", lineno: -1, name: "Skipped frames: 950" }, frame("f", 1)] }),
      ],
    };
    expect(renderLogRecord(record)).toBe(
      'boom\nTraceback (most recent call last):\n  File "/dags/probe.py", line 1, in f\n  [Skipped frames: 950]\n  File "/dags/probe.py", line 1, in f\nRecursionError: maximum recursion depth exceeded',
    );
    expect(renderLogRecord({ event: "e", error_detail: [stack({ exc_type: "ValueError", exc_value: "bare" })] })).toBe("e\nValueError: bare");
    const syntax = stack({
      exc_type: "SyntaxError",
      exc_value: "invalid syntax (broken.py, line 3)",
      frames: [frame("import_module", 90, "/usr/lib/python3.11/importlib/__init__.py")],
      syntax_error: { offset: 9, filename: "/dags/broken.py", line: "    foo bar\n", lineno: 3, msg: "invalid syntax" },
    });
    expect(renderLogRecord({ event: "e", error_detail: [syntax] })).toBe(
      [
        "e",
        "Traceback (most recent call last):",
        '  File "/usr/lib/python3.11/importlib/__init__.py", line 90, in import_module',
        '  File "/dags/broken.py", line 3',
        "    foo bar",
        "        ^",
        "SyntaxError: invalid syntax (broken.py, line 3)",
      ].join("\n"),
    );
  });

  test("an exception group in Python's layout", () => {
    const group = stack({
      exc_type: "ExceptionGroup",
      exc_value: "two failed (2 sub-exceptions)",
      is_group: true,
      frames: [frame("run_all", 5)],
      exceptions: [[stack({ exc_type: "ValueError", exc_value: "a", frames: [frame("one", 7)] })], [stack({ exc_type: "TypeError", exc_value: "b" })]],
    });
    expect(renderLogRecord({ event: "e", error_detail: [group] })).toBe(
      [
        "e",
        "  + Exception Group Traceback (most recent call last):",
        '  |   File "/dags/probe.py", line 5, in run_all',
        "  | ExceptionGroup: two failed (2 sub-exceptions)",
        "  +-+---------------- 1 ----------------",
        "    | Traceback (most recent call last):",
        '    |   File "/dags/probe.py", line 7, in one',
        "    | ValueError: a",
        "    +---------------- 2 ----------------",
        "    | TypeError: b",
        "    +------------------------------------",
      ].join("\n"),
    );
  });

  test("odd shapes are rendered, never thrown", () => {
    expect(renderLogRecord({ event: "e", error_detail: "Traceback (most recent call last):\n  ...\nValueError: x" })).toBe("e\nTraceback (most recent call last):\n  ...\nValueError: x");
    expect(renderLogRecord({ event: "e", error_detail: { exc_type: "X" } })).toBe('e\n{"exc_type":"X"}');
    expect(renderLogRecord({ event: "e", error_detail: ["just text", 42] })).toBe(
      "e\n42\n\nDuring handling of the above exception, another exception occurred:\n\n\"just text\"",
    );
    expect(renderLogRecord({ event: "e", error_detail: [{ exc_type: "X", frames: [{}, null, 7], exc_notes: [{ n: 1 }] }] })).toBe(
      'e\nTraceback (most recent call last):\n  File "?", line ?, in ?\n  null\n  7\nX\n{"n":1}',
    );
    expect(renderLogRecord({ event: "e", error_detail: [] })).toBe("e");
    expect(renderLogRecord({ event: "e", error_detail: null })).toBe("e");
    expect(renderLogRecord({ event: 7 as unknown as string, level: 3 as unknown as string })).toBe("7");
    expect(renderLogRecord(null as unknown as string)).toBe("null");

    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(renderLogRecord({ event: "e", error_detail: cyclic })).toBe("e\n[object Object]");
    const hostile = { get event(): string { throw new Error("no"); } } as unknown as LogRecord;
    expect(renderLogRecord(hostile)).toBe("[unrenderable log record]");

    // A group nested far deeper than any real one ends in a marker instead of recursing on.
    let deep: unknown = stack({ exc_type: "ValueError", exc_value: "leaf" });
    for (let level = 0; level < 200; level += 1) deep = stack({ exc_type: "ExceptionGroup", exc_value: "g", is_group: true, exceptions: [[deep]] });
    const text = renderLogRecord({ event: "e", error_detail: [deep] });
    expect(text).toContain("[nested too deep]");
    expect(text).not.toContain("leaf");
  });
});

describe("decoding a whole answer (the streaming decoder fed the body at once)", () => {
  test("a finished try's answer: records, text and a null token", () => {
    const body = JSON.stringify({ content: CHATTY_HEAD, continuation_token: null });
    const answer = decodeV2LogAnswer(body);
    expect(answer).toEqual({ records: CHATTY_HEAD, text: CHATTY_HEAD_TEXT, token: null });
  });

  test("a running try's answer keeps its token; string content items are allowed; empty content is empty text", () => {
    const token = "eyJlbmRfb2ZfbG9nIjpmYWxzZSwibG9nX3BvcyI6MTB9.7ly7geWvb5V-YSEVUpf9vllvHIs";
    expect(decodeV2LogAnswer(JSON.stringify({ content: ["tick 5", { event: "tick 6" }], continuation_token: token }))).toEqual({
      records: ["tick 5", { event: "tick 6" }],
      text: "tick 5\ntick 6\n",
      token,
    });
    expect(decodeV2LogAnswer('{"content":[],"continuation_token":null}')).toEqual({ records: [], text: "", token: null });
  });

  test("boom's exception record, from its JSON text", () => {
    const { text } = decodeV2LogAnswer(JSON.stringify({ content: [BOOM], continuation_token: null }));
    expect(text).toBe(`${renderLogRecord(BOOM)}\n`);
    expect(text.split("\n")).toHaveLength(6);
  });

  test.each([
    ["<html><title>502 Bad Gateway</title></html>", "not JSON"],
    ["", "not JSON"],
    ["[]", "not a JSON object"],
    ["null", "not a JSON object"],
    ['"text"', "not a JSON object"],
    ['{"continuation_token":null}', "content is not an array"],
    ['{"content":"*** Found local files:\\nline\\n","continuation_token":null}', "content is not an array"],
    ['{"content":[{"event":"a"},{"timestamp":"T"}],"continuation_token":null}', "content[1] has no string event"],
    ['{"content":[{"event":null}],"continuation_token":null}', "content[0] has no string event"],
    ['{"content":[{"event":"a"},3],"continuation_token":null}', "content[1] is neither a record nor a string"],
    ['{"content":[null],"continuation_token":null}', "content[0] is neither a record nor a string"],
    ['{"content":[["a"]],"continuation_token":null}', "content[0] is neither a record nor a string"],
    ['{"content":[]}', "continuation_token is missing"],
    ['{"content":[],"continuation_token":7}', "continuation_token is neither a string nor null"],
    ['{"content":[],"continuation_token":{"log_pos":3}}', "continuation_token is neither a string nor null"],
  ])("malformed %j: %s", (body, reason) => {
    let thrown: unknown;
    try {
      decodeV2LogAnswer(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AirflowError);
    expect((thrown as Error).message).toBe(`Malformed Airflow log answer: ${reason}`);
  });

  test("a body that is not JSON keeps the SyntaxError as cause", () => {
    expect(() => decodeV2LogAnswer("{")).toThrow(expect.objectContaining({ cause: expect.any(SyntaxError) }));
  });
});

describe("dropSourceDetails", () => {
  test("drops chatty's source-details block and nothing else", () => {
    expect(dropSourceDetails(CHATTY_19)).toEqual({ records: CHATTY_19.slice(3), dropping: false });
    expect(renderLogText(dropSourceDetails(CHATTY_HEAD).records)).toBe(CHATTY_HEAD_TEXT.split("\n").slice(3).join("\n"));
  });

  test("a running try's block (with the served-log URL) and a finished try's leave the same records", () => {
    const served = { event: "http://vm:38793/log/dag_id=af3_probe/run_id=probe_run_1/task_id=chatty/attempt=1.log" };
    const running = [...CHATTY_19.slice(0, 2), served, ...CHATTY_19.slice(2)];
    expect(dropSourceDetails(running).records).toEqual(dropSourceDetails(CHATTY_19).records);
  });

  test("the block cut across two answers", () => {
    const first = dropSourceDetails(CHATTY_19.slice(0, 2));
    expect(first).toEqual({ records: [], dropping: true });
    expect(dropSourceDetails(CHATTY_19.slice(2), first.dropping)).toEqual({ records: CHATTY_19.slice(3), dropping: false });
    // Cut right after the opening record.
    const opened = dropSourceDetails(CHATTY_19.slice(0, 1));
    expect(opened).toEqual({ records: [], dropping: true });
    expect(dropSourceDetails(CHATTY_19.slice(1), true)).toEqual({ records: CHATTY_19.slice(3), dropping: false });
  });

  test("NDJSON-style header records (timestamp null) and string items are dropped the same way", () => {
    const ndjson = [{ timestamp: null, event: "::group::Log message source details" }, { timestamp: null, event: "/logs/attempt=1.log" }, { timestamp: null, event: "::endgroup::" }, CHATTY_HEAD[3]!];
    expect(dropSourceDetails(ndjson).records).toEqual([CHATTY_HEAD[3]]);
    expect(dropSourceDetails(["::group::Log message source details", "/logs/a.log", "::endgroup::", "line"]).records).toEqual(["line"]);
  });

  test("answers without the block are left alone, including a token read that starts with the Pre Execute group's end", () => {
    const later = CHATTY_19.slice(7);
    expect(dropSourceDetails(later)).toEqual({ records: later, dropping: false });
    expect(dropSourceDetails([])).toEqual({ records: [], dropping: false });
    // The block is only ever the first record.
    const inside = [CHATTY_19[8]!, ...CHATTY_19.slice(0, 3)];
    expect(dropSourceDetails(inside).records).toEqual(inside);
  });

  test("a block that never closes ends at the first task record, which is kept", () => {
    const unclosed = [CHATTY_HEAD[0]!, CHATTY_HEAD[1]!, ...CHATTY_HEAD.slice(3)];
    expect(dropSourceDetails(unclosed)).toEqual({ records: CHATTY_HEAD.slice(3), dropping: false });
    expect(dropSourceDetails(CHATTY_HEAD.slice(3), true)).toEqual({ records: CHATTY_HEAD.slice(3), dropping: false });
  });

  test("sourceDetailsFilter decides record by record, holding none back", () => {
    const filter = sourceDetailsFilter();
    expect(CHATTY_19.slice(0, 4).map((record) => [filter.keep(record), filter.dropping])).toEqual([
      [false, true],
      [false, true],
      [false, false],
      [true, false],
    ]);
    expect(sourceDetailsFilter(true).dropping).toBe(true);
    expect(sourceDetailsFilter().dropping).toBe(false);
  });

  test("never changes the array it was given", () => {
    const records = CHATTY_19.slice();
    dropSourceDetails(records);
    expect(records).toEqual(CHATTY_19);
    expect(dropSourceDetails(records).records).not.toBe(records);
  });
});
