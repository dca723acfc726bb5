import { describeV2ErrorBody, redactV2ErrorBody } from "../../src/wire/v2/errors";

// Every error body of airflow3-captures.md (Airflow 3.3.2), with its status.
const STATE_VALUES = "removed, scheduled, queued, running, success, restarting, failed, up_for_retry, up_for_reschedule, upstream_failed, skipped, deferred, awaiting_input";

const DETAIL_STRINGS: Array<[number, string, string]> = [
  [400, "Bad Request", "Ordering with 'task_id' is disallowed or the attribute does not exist on the model"],
  [400, "Bad Request", "Bad Signature. Please use only the tokens provided by the API."],
  [400, "Bad Request", "Task log handler does not support external logs."],
  [401, "Unauthorized", "Invalid credentials"],
  [401, "Unauthorized", "Not authenticated"],
  [401, "Unauthorized", "Token Expired"],
  [403, "Forbidden", "Invalid JWT token"],
  [403, "Forbidden", "This method is only allowed if ``[core] simple_auth_manager_all_admins`` is True"],
  [404, "Not Found", "Task instance is mapped, add the map_index value to the URL"],
  [404, "Not Found", "DagRun with dag_id: `af3_probe` and run_id: `nope` was not found"],
  [404, "Not Found", "The Task Instance with dag_id: `af3_probe`, run_id: `probe_run_1` and task_id: `nope` was not found"],
  [404, "Not Found", "TaskInstance not found"],
  [404, "Not Found", "Dag Run id nope not found in dag af3_probe"],
  [406, "Not Acceptable", "Only application/json or application/x-ndjson is supported"],
  [409, "Conflict", "Task id boom is already in success state"],
  [422, "Unprocessable Entity", `Invalid value for state. Valid values are ${STATE_VALUES}`],
];

describe("describeV2ErrorBody", () => {
  test.each(DETAIL_STRINGS)("%i {detail: string}: %s", (status, title, detail) => {
    expect(describeV2ErrorBody(status, JSON.parse(JSON.stringify({ detail })))).toEqual({ title, detail, type: null });
  });

  test("the 500 database error: reason and message on one line, the statement left out", () => {
    const body = {
      detail: {
        reason: "Database error",
        statement: "hidden",
        orig_error: "hidden",
        message: "Serious error when handling your request. Check logs for more details - you will find it in api server when you look for ID IlTSm6B9",
      },
    };
    expect(describeV2ErrorBody(500, body)).toEqual({
      title: "Internal Server Error",
      detail: "Database error: Serious error when handling your request. Check logs for more details - you will find it in api server when you look for ID IlTSm6B9",
      type: null,
    });
    expect(describeV2ErrorBody(500, { detail: { reason: "Database error", statement: "SELECT secret" } }).detail).toBe("Database error");
    expect(describeV2ErrorBody(500, { detail: { statement: "SELECT secret" } }).detail).toBeNull();
  });

  test.each([
    [
      { detail: [{ type: "datetime_from_date_parsing", loc: ["query", "start_date_gte"], msg: "Input should be a valid datetime or date, input is too short", input: "yesterday", ctx: { error: "input is too short" } }] },
      "query.start_date_gte: Input should be a valid datetime or date, input is too short (datetime_from_date_parsing)",
      "datetime_from_date_parsing",
    ],
    [
      { detail: [{ type: "literal_error", loc: ["path", "dag_id"], msg: "Input should be '~'", input: "af3_probe", ctx: { expected: "'~'" } }] },
      "path.dag_id: Input should be '~' (literal_error)",
      "literal_error",
    ],
    [
      { detail: [{ type: "string_type", loc: ["body", "order_by"], msg: "Input should be a valid string", input: ["-start_date", "map_index"] }] },
      "body.order_by: Input should be a valid string (string_type)",
      "string_type",
    ],
    [
      { detail: [{ type: "extra_forbidden", loc: ["body", "map_index"], msg: "Extra inputs are not permitted", input: [1] }] },
      "body.map_index: Extra inputs are not permitted (extra_forbidden)",
      "extra_forbidden",
    ],
    [
      { detail: [{ type: "value_error", loc: ["body", "new_state"], msg: "Value error, 'running' is not one of ['success', 'failed', 'skipped']", input: "running", ctx: { error: {} } }] },
      "body.new_state: Value error, 'running' is not one of ['success', 'failed', 'skipped'] (value_error)",
      "value_error",
    ],
    [
      { detail: [{ type: "extra_forbidden", loc: ["body", "dry_run"], msg: "Extra inputs are not permitted", input: true }] },
      "body.dry_run: Extra inputs are not permitted (extra_forbidden)",
      "extra_forbidden",
    ],
    [
      { detail: [{ type: "extra_forbidden", loc: ["body", "execution_date"], msg: "Extra inputs are not permitted", input: "2026-01-01T00:00:00Z" }] },
      "body.execution_date: Extra inputs are not permitted (extra_forbidden)",
      "extra_forbidden",
    ],
  ])("422 validation body %#", (body, detail, type) => {
    expect(describeV2ErrorBody(422, body)).toEqual({ title: "Unprocessable Entity", detail, type });
  });

  test("several validation errors are joined with '; ', numbered locations kept, the first type wins", () => {
    const body = {
      detail: [
        { type: "missing", loc: ["body", "actions", 0, "entities"], msg: "Field required", input: {} },
        { type: "extra_forbidden", loc: ["body", "dry_run"], msg: "Extra inputs are not permitted", input: true },
      ],
    };
    expect(describeV2ErrorBody(422, body)).toEqual({
      title: "Unprocessable Entity",
      detail: "body.actions.0.entities: Field required (missing); body.dry_run: Extra inputs are not permitted (extra_forbidden)",
      type: "missing",
    });
  });

  test("a long list is cut, saying how many were left out", () => {
    const body = { detail: Array.from({ length: 13 }, (_, index) => ({ type: "missing", loc: ["body", `f${index}`], msg: "Field required" })) };
    const { detail } = describeV2ErrorBody(422, body);
    expect(detail?.split("; ")).toHaveLength(11);
    expect(detail).toMatch(/body\.f9: Field required \(missing\); and 3 more$/);
  });

  test("odd validation items still read", () => {
    expect(describeV2ErrorBody(422, { detail: [{ msg: "no location" }] }).detail).toBe("no location");
    expect(describeV2ErrorBody(422, { detail: [{ type: "missing", loc: ["query", "x"] }] })).toEqual({ title: "Unprocessable Entity", detail: "query.x: missing", type: "missing" });
    expect(describeV2ErrorBody(422, { detail: ["plain", 3, null] }).detail).toBe("plain; invalid request; invalid request");
    expect(describeV2ErrorBody(422, { detail: [] })).toEqual({ title: "Unprocessable Entity", detail: null, type: null });
  });

  test("the input is never part of the detail; a secret field's value is taken out of its message too", () => {
    const password = "hunter2-Sup3r";
    const bodies = [
      { detail: [{ type: "missing", loc: ["body", "username"], msg: "Field required", input: { password } }] },
      { detail: [{ type: "string_type", loc: ["body", "password"], msg: "Input should be a valid string", input: password }] },
      { detail: [{ type: "value_error", loc: ["body", "password"], msg: `Value error, '${password}' is too weak`, input: password, ctx: { error: password } }] },
    ];
    const details = bodies.map((body) => describeV2ErrorBody(422, body).detail);
    expect(details).toEqual([
      "body.username: Field required (missing)",
      "body.password: Input should be a valid string (string_type)",
      "body.password: Value error, '[redacted]' is too weak (value_error)",
    ]);
  });

  test.each([
    [404, "API route not found"],
    [404, "/api/v1 has been removed in Airflow 3, please use its upgraded version /api/v2 instead."],
    [404, "Moved in Airflow 3. Please change config to check `/api/v2/monitor/health`"],
  ])("%i {error: string}: %s", (status, error) => {
    expect(describeV2ErrorBody(status, { error })).toEqual({ title: "Not Found", detail: error, type: null });
  });

  test("a body that is not JSON: a proxy page's <title>, no detail", () => {
    const html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    expect(describeV2ErrorBody(502, html)).toEqual({ title: "502 Bad Gateway", detail: null, type: null });
    expect(describeV2ErrorBody(503, "upstream connect error")).toEqual({ title: "non-JSON error body", detail: null, type: null });
  });

  test("empty and unexpected bodies: the reason phrase alone; a status without one: null", () => {
    expect(describeV2ErrorBody(504, "")).toEqual({ title: "Gateway Timeout", detail: null, type: null });
    expect(describeV2ErrorBody(502, null)).toEqual({ title: "Bad Gateway", detail: null, type: null });
    expect(describeV2ErrorBody(500, [1, 2])).toEqual({ title: "Internal Server Error", detail: null, type: null });
    expect(describeV2ErrorBody(404, { detail: null })).toEqual({ title: "Not Found", detail: null, type: null });
    expect(describeV2ErrorBody(403, { message: "Forbidden" })).toEqual({ title: "Forbidden", detail: "Forbidden", type: null });
    expect(describeV2ErrorBody(599, { detail: "x" })).toEqual({ title: null, detail: "x", type: null });
  });
});

describe("redactV2ErrorBody", () => {
  test("takes input and ctx out of errors about secret fields, or whose input holds one", () => {
    const body = {
      detail: [
        { type: "missing", loc: ["body", "username"], msg: "Field required", input: { password: "p" } },
        { type: "value_error", loc: ["body", "password"], msg: "bad", input: "p", ctx: { error: "p" } },
        { type: "missing", loc: ["query", "token"], msg: "Field required", input: null },
        { type: "extra_forbidden", loc: ["body", "dry_run"], msg: "Extra inputs are not permitted", input: true },
      ],
    };
    expect(redactV2ErrorBody(body)).toEqual({
      detail: [
        { type: "missing", loc: ["body", "username"], msg: "Field required", input: "[redacted]" },
        { type: "value_error", loc: ["body", "password"], msg: "bad", input: "[redacted]", ctx: "[redacted]" },
        { type: "missing", loc: ["query", "token"], msg: "Field required", input: "[redacted]" },
        { type: "extra_forbidden", loc: ["body", "dry_run"], msg: "Extra inputs are not permitted", input: true },
      ],
    });
    // The caller's object is not changed.
    expect(body.detail[1]!.input).toBe("p");
  });

  test("every other body is returned as it is", () => {
    for (const body of [{ detail: "Invalid credentials" }, { error: "API route not found" }, "<html></html>", null, [1]]) expect(redactV2ErrorBody(body)).toBe(body);
  });
});
