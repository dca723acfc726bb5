/**
 * The facade on the v2 line: get and expand routed as on v1, pagination (limit/offset per page,
 * stop at total_entries, a clamping server, the batch list POST and its retry), and Airflow 3's
 * error bodies (FastAPI's {detail} in its three shapes, {error} for an unknown route, a proxy's
 * HTML) read into AirflowHttpError with the raw body kept; GETs retried on 503, PATCH not.
 */
import { AirflowHttpError } from "../../src/errors.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import {
  BATCH_PATH,
  INSTANT_RETRY,
  ORIGIN,
  REF,
  RUN_PATH,
  TI_PATH,
  answer,
  collectionV2,
  recordRequests,
  requestLines,
  seen,
  taskInstanceV2,
  v2Client,
} from "../support/nock-airflow-v2.js";

guardNock();
recordRequests();

const ALL_PATH = "/api/v2/dags/~/dagRuns/~/taskInstances";
const items = (count: number, from = 0) => Array.from({ length: count }, (_, i) => taskInstanceV2({ task_id: `t${from + i}` }));

describe("get and expand", () => {
  test("get of an unmapped ref: GET .../t with no query; the body as Airflow 3 sent it", async () => {
    answer("get", TI_PATH, 200, taskInstanceV2());
    await expect(v2Client().taskInstances.get(REF)).resolves.toEqual(taskInstanceV2());
    expect(requestLines()).toEqual([`GET ${TI_PATH}`]);
  });

  test("get of a mapped ref: GET .../t/1", async () => {
    answer("get", `${TI_PATH}/1`, 200, taskInstanceV2({ map_index: 1 }));
    await v2Client().taskInstances.get({ ...REF, map_index: 1 });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/1`]);
  });

  test("a mapped task asked for without a map_index: Airflow 3's 404 says to use expand() or pass map_index", async () => {
    const body = { detail: "Task instance is mapped, add the map_index value to the URL" };
    answer("get", TI_PATH, 404, body);
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(404);
    expect(error.detail).toBe(body.detail);
    expect(error.body).toEqual(body);
    expect(error.message).toContain("expand()");
    expect(error.message).toContain("map_index");
    expect(error.cause).toBeInstanceOf(AirflowHttpError);
  });

  test("expand of a mapped task: listMapped pages, no order_by", async () => {
    const mapped = Array.from({ length: 3 }, (_, i) => taskInstanceV2({ map_index: i }));
    answer("get", `${TI_PATH}/listMapped`, 200, collectionV2(mapped));
    await expect(v2Client().taskInstances.expand(REF)).resolves.toEqual(mapped);
    expect(requestLines()).toEqual([`GET ${TI_PATH}/listMapped?limit=100&offset=0`]);
  });

  test('expand of an unmapped task: listMapped answers 404 "Task id t is not mapped", then the one instance', async () => {
    answer("get", `${TI_PATH}/listMapped`, 404, { detail: "Task id t is not mapped" });
    answer("get", TI_PATH, 200, taskInstanceV2());
    await expect(v2Client().taskInstances.expand(REF)).resolves.toEqual([taskInstanceV2()]);
    expect(requestLines()).toEqual([`GET ${TI_PATH}/listMapped?limit=100&offset=0`, `GET ${TI_PATH}`]);
  });
});

describe("pagination", () => {
  test("limit and offset on every page; it stops at total_entries without asking for an empty page", async () => {
    const all = items(250);
    answer("get", ALL_PATH, 200, collectionV2(all.slice(0, 100), 250));
    answer("get", ALL_PATH, 200, collectionV2(all.slice(100, 200), 250));
    answer("get", ALL_PATH, 200, collectionV2(all.slice(200), 250));
    await expect(v2Client().taskInstances.list().toArray({ max: 1000 })).resolves.toEqual(all);
    expect(requestLines()).toEqual([
      `GET ${ALL_PATH}?limit=100&offset=0`,
      `GET ${ALL_PATH}?limit=100&offset=100`,
      `GET ${ALL_PATH}?limit=100&offset=200`,
    ]);
  });

  test("a last page that is full still ends the listing at total_entries", async () => {
    const all = items(200);
    answer("get", ALL_PATH, 200, collectionV2(all.slice(0, 100), 200));
    answer("get", ALL_PATH, 200, collectionV2(all.slice(100), 200));
    await expect(v2Client().taskInstances.list().toArray({ max: 1000 })).resolves.toEqual(all);
    expect(seen).toHaveLength(2);
  });

  test("pageSize 500 on a server that clamps to 100 ([api] maximum_page_limit): every item once, offsets by what came", async () => {
    const all = items(230);
    answer("get", ALL_PATH, 200, collectionV2(all.slice(0, 100), 230));
    answer("get", ALL_PATH, 200, collectionV2(all.slice(100, 200), 230));
    answer("get", ALL_PATH, 200, collectionV2(all.slice(200), 230));
    const listed = await v2Client().taskInstances.list({}, { pageSize: 500 }).toArray({ max: 1000 });
    expect(listed).toEqual(all);
    expect(new Set(listed.map((ti) => ti.task_id)).size).toBe(230);
    expect(requestLines()).toEqual([
      `GET ${ALL_PATH}?limit=500&offset=0`,
      `GET ${ALL_PATH}?limit=500&offset=100`,
      `GET ${ALL_PATH}?limit=500&offset=200`,
    ]);
  });

  test("pages() gives each page with Airflow 3's total_entries", async () => {
    answer("get", `${RUN_PATH}`, 200, collectionV2(items(2), 3));
    answer("get", `${RUN_PATH}`, 200, collectionV2(items(1, 2), 3));
    const pages = [];
    for await (const page of v2Client().taskInstances.list({ dag_id: "d", dag_run_id: "r" }, { pageSize: 2 }).pages()) pages.push(page);
    expect(pages.map((page) => [page.offset, page.items.length, page.total_entries])).toEqual([
      [0, 2, 3],
      [2, 1, 3],
    ]);
    expect(requestLines()).toEqual([`GET ${RUN_PATH}?limit=2&offset=0`, `GET ${RUN_PATH}?limit=2&offset=2`]);
  });

  test("the batch list: POST /api/v2/dags/~/dagRuns/~/taskInstances/list with page_offset/page_limit and dag_ids, page after page", async () => {
    const all = items(150);
    answer("post", BATCH_PATH, 200, collectionV2(all.slice(0, 100), 150));
    answer("post", BATCH_PATH, 200, collectionV2(all.slice(100), 150));
    await expect(v2Client().taskInstances.listBatch({ dag_ids: ["d", "e"], state: ["failed"] }).toArray({ max: 1000 })).resolves.toEqual(all);
    expect(requestLines()).toEqual([`POST ${BATCH_PATH}`, `POST ${BATCH_PATH}`]);
    expect(seen.map((s) => s.body)).toEqual([
      { state: ["failed"], dag_ids: ["d", "e"], page_offset: 0, page_limit: 100 },
      { state: ["failed"], dag_ids: ["d", "e"], page_offset: 100, page_limit: 100 },
    ]);
    expect(seen.map((s) => s.contentType)).toEqual(["application/json", "application/json"]);
  });

  test("the batch list POST only reads, so a 503 is retried with the same body", async () => {
    answer("post", BATCH_PATH, 503, { detail: "Service Unavailable" });
    answer("post", BATCH_PATH, 200, collectionV2(items(1)));
    await expect(v2Client({ retry: INSTANT_RETRY }).taskInstances.listBatch({ dag_ids: ["d"] }).toArray({ max: 10 })).resolves.toEqual(items(1));
    expect(requestLines()).toEqual([`POST ${BATCH_PATH}`, `POST ${BATCH_PATH}`]);
    expect(seen[1]!.body).toEqual(seen[0]!.body);
    expect(seen[0]!.body).toEqual({ dag_ids: ["d"], page_offset: 0, page_limit: 100 });
  });

  test("a listing's page is retried on 503 with the same query", async () => {
    answer("get", ALL_PATH, 503, "");
    answer("get", ALL_PATH, 200, collectionV2(items(1)));
    await v2Client({ retry: INSTANT_RETRY }).taskInstances.list({ state: ["failed"] }).toArray({ max: 10 });
    expect(requestLines()).toEqual([`GET ${ALL_PATH}?state=failed&limit=100&offset=0`, `GET ${ALL_PATH}?state=failed&limit=100&offset=0`]);
  });
});

describe("errors", () => {
  const TI_URL = `${ORIGIN}${TI_PATH}`;

  test('404 {"detail": string}: title the reason phrase, detail the string, body kept', async () => {
    const body = { detail: "The Task Instance with dag_id: `d`, run_id: `r` and task_id: `t` was not found" };
    answer("get", TI_PATH, 404, body);
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.name).toBe("AirflowHttpError");
    expect(error.status).toBe(404);
    expect(error.title).toBe("Not Found");
    expect(error.detail).toBe(body.detail);
    expect(error.type).toBeNull();
    expect(error.body).toEqual(body);
    expect(error.request).toEqual({ method: "GET", url: TI_URL });
    expect(error.message).toBe(`GET ${TI_URL} failed with 404 Not Found: ${body.detail}`);
  });

  test("422 with a list of validation errors: each as loc: msg (type); the first type; the body kept", async () => {
    const body = {
      detail: [
        { type: "datetime_from_date_parsing", loc: ["query", "start_date_gte"], msg: "Input should be a valid datetime or date, input is too short", input: "yesterday", ctx: { error: "input is too short" } },
        { type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer", input: "x" },
      ],
    };
    answer("get", ALL_PATH, 422, body);
    const error = (await rejectionOf(() => v2Client().taskInstances.list().toArray({ max: 1 }))) as AirflowHttpError;
    expect(error.status).toBe(422);
    expect(error.title).toBe("Unprocessable Entity");
    expect(error.detail).toBe(
      "query.start_date_gte: Input should be a valid datetime or date, input is too short (datetime_from_date_parsing); query.limit: Input should be a valid integer (int_parsing)",
    );
    expect(error.type).toBe("datetime_from_date_parsing");
    expect(error.body).toEqual(body);
    expect(error.message).toContain("query.start_date_gte");
  });

  test("a 422 whose detail is a string (state=bogus)", async () => {
    const body = { detail: "Invalid value for state. Valid values are removed, scheduled, queued" };
    answer("get", ALL_PATH, 422, body);
    const error = (await rejectionOf(() => v2Client().taskInstances.list().toArray({ max: 1 }))) as AirflowHttpError;
    expect(error.detail).toBe(body.detail);
    expect(error.type).toBeNull();
  });

  test("500 with a database-error object: detail is reason: message; the body kept", async () => {
    const body = {
      detail: {
        reason: "Database error",
        statement: "hidden",
        orig_error: "hidden",
        message: "Serious error when handling your request. Check logs for more details - you will find it in api server when you look for ID IlTSm6B9",
      },
    };
    answer("get", TI_PATH, 500, body);
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error.status).toBe(500);
    expect(error.title).toBe("Internal Server Error");
    expect(error.detail).toBe(`Database error: ${body.detail.message}`);
    expect(error.body).toEqual(body);
    expect(error.message).toContain("IlTSm6B9");
  });

  test('404 {"error": "API route not found"}: detail is that text', async () => {
    answer("get", TI_PATH, 404, { error: "API route not found" });
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error.status).toBe(404);
    expect(error.title).toBe("Not Found");
    expect(error.detail).toBe("API route not found");
    expect(error.body).toEqual({ error: "API route not found" });
    expect(error.message).toContain("API route not found");
  });

  test("a proxy's HTML 502: titled from <title>, no detail, the raw text kept as the body", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    answer("get", TI_PATH, 502, html, { headers: { "Content-Type": "text/html" } });
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(502);
    expect(error.title).toBe("502 Bad Gateway");
    expect(error.detail).toBeNull();
    expect(error.body).toBe(html);
  });

  test("an empty 503: the reason phrase, no detail", async () => {
    answer("get", TI_PATH, 503, "");
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error.status).toBe(503);
    expect(error.title).toBe("Service Unavailable");
    expect(error.detail).toBeNull();
  });

  test("a 200 that is not JSON is an AirflowHttpError, not a SyntaxError", async () => {
    answer("get", TI_PATH, 200, '{"task_id": "t", broken', { headers: { "Content-Type": "application/json" } });
    const error = (await rejectionOf(() => v2Client().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.title).toBe("Invalid JSON in response");
  });

  test("a GET answered 503 then 200 is retried once; the data returned", async () => {
    answer("get", TI_PATH, 503, { detail: "Service Unavailable" });
    answer("get", TI_PATH, 200, taskInstanceV2());
    await expect(v2Client({ retry: INSTANT_RETRY }).taskInstances.get(REF)).resolves.toEqual(taskInstanceV2());
    expect(requestLines()).toEqual([`GET ${TI_PATH}`, `GET ${TI_PATH}`]);
  });

  test("a GET answered 503 three times: the last answer is thrown after 3 attempts", async () => {
    answer("get", TI_PATH, 503, "");
    answer("get", TI_PATH, 502, "<html><title>502 Bad Gateway</title></html>");
    answer("get", TI_PATH, 503, { detail: "still down" });
    const error = (await rejectionOf(() => v2Client({ retry: INSTANT_RETRY }).taskInstances.get(REF))) as AirflowHttpError;
    expect(error.status).toBe(503);
    expect(error.detail).toBe("still down");
    expect(seen).toHaveLength(3);
  });

  test.each([400, 401, 403, 404, 409, 422])("a GET answered %d is not retried", async (status) => {
    answer("get", TI_PATH, status, { detail: "no" });
    const error = (await rejectionOf(() => v2Client({ retry: INSTANT_RETRY }).taskInstances.get(REF))) as AirflowHttpError;
    expect(error.status).toBe(status);
    expect(seen).toHaveLength(1);
  });

  test("a PATCH answered 503 is not retried", async () => {
    answer("patch", TI_PATH, 503, "");
    const error = (await rejectionOf(() => v2Client({ retry: INSTANT_RETRY }).taskInstances.setState(REF, "success"))) as AirflowHttpError;
    expect(error.status).toBe(503);
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
  });
});
