"""Records real responses of the local Airflow into airflow/captured/*.json.

Run through capture.sh after up.sh + seed.sh. Each file holds the request (method, path, the
non-secret request headers), the status, the interesting response headers and the body (parsed
JSON when the server sent JSON, else text). Very long log bodies are shortened in the file; the
full length is recorded next to them. A scratch run of ati_many is created for the mutating
calls (PATCH state, setNote) and deleted again at the end, so the seed data is unchanged.
Only the Python standard library is used.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

ROOT = os.environ.get("AIRFLOW_URL", "http://127.0.0.1:28080")
API_PATH = "/api/v1"
USER = os.environ.get("AIRFLOW_USERNAME", "admin")
PASSWORD = os.environ.get("AIRFLOW_PASSWORD", "admin")
OUT_DIR = os.environ.get(
    "ATI_CAPTURE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "airflow", "captured")
)
KEEP_HEADERS = ("content-type", "content-length", "www-authenticate", "transfer-encoding")
MAX_TEXT = 6000
MAX_ITEMS = 20

FIXTURE_RUN = "it__2024-01-01T00:00:00+00:00"
SCRATCH_RUN = "capture__scratch"


def q(value):
    return urllib.parse.quote(value, safe="")


FR = q(FIXTURE_RUN)
TI = f"/dags/ati_fixture/dagRuns/{FR}/taskInstances"


def basic(user=USER, password=PASSWORD):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def raw_request(method, path, body=None, headers=None, auth=True, api=True):
    url = ROOT + (API_PATH if api else "") + path
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    shown = {}
    for k, v in (headers or {}).items():
        req.add_header(k, v)
        shown[k] = v
    if data is not None and "Content-Type" not in (headers or {}):
        req.add_header("Content-Type", "application/json")
        shown["Content-Type"] = "application/json"
    if auth is True:
        req.add_header("Authorization", basic())
        shown["Authorization"] = "Basic <admin credentials>"
    elif auth:
        req.add_header("Authorization", auth)
        shown["Authorization"] = "Basic <wrong credentials>"
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, hdrs, raw = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        status, hdrs, raw = err.code, err.headers, err.read()
    return {"method": method, "path": (API_PATH if api else "") + path, "headers": shown, "body": body}, status, hdrs, raw


def decode_body(hdrs, raw):
    text = raw.decode("utf-8", errors="replace")
    ctype = hdrs.get("Content-Type", "")
    if "json" in ctype:
        try:
            return json.loads(text), len(text)
        except ValueError:
            pass
    return text, len(text)


def shorten(value):
    if isinstance(value, str) and len(value) > MAX_TEXT:
        head, tail = value[: MAX_TEXT - 1500], value[-1500:]
        return f"{head}\n<<< {len(value) - len(head) - len(tail)} characters left out by capture.py >>>\n{tail}"
    if isinstance(value, dict):
        return {k: shorten(v) for k, v in value.items()}
    return value


def decode_token(token):
    """Payload of an itsdangerous URLSafeSerializer token (readable without the key)."""
    if not token:
        return None
    payload = token.rsplit(".", 1)[0]
    compressed = payload.startswith(".")
    payload = payload.lstrip(".")
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        data = zlib.decompress(data)
    return json.loads(data)


def capture(name, method, path, note, body=None, headers=None, auth=True, api=True, extra=None):
    request, status, hdrs, raw = raw_request(method, path, body, headers, auth, api)
    parsed, length = decode_body(hdrs, raw)
    record = {
        "note": note,
        "request": request,
        "response": {
            "status": status,
            "headers": {k: v for k, v in hdrs.items() if k.lower() in KEEP_HEADERS},
            "body_length": length,
            "body": shorten(parsed),
        },
    }
    if extra:
        record.update(extra(parsed) or {})
    items = parsed.get("task_instances") if isinstance(parsed, dict) else None
    if isinstance(items, list) and len(items) > MAX_ITEMS:
        record["response"]["body"]["task_instances"] = items[:MAX_ITEMS]
        record["capture_note"] = f"task_instances shortened from {len(items)} to {MAX_ITEMS} items by capture.py"
    with open(os.path.join(OUT_DIR, name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(record, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    print(f"{status}  {name:42s} {method} {request['path']}")
    return status, parsed


def token_extra(body):
    if isinstance(body, dict) and "continuation_token" in body:
        return {"continuation_token_payload": decode_token(body["continuation_token"])}
    return None


def wait_run(dag_id, run_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        _, status, _, raw = raw_request("GET", f"/dags/{dag_id}/dagRuns/{q(run_id)}")
        if status == 200 and json.loads(raw)["state"] in ("success", "failed"):
            return
        time.sleep(1)
    raise SystemExit(f"capture: {dag_id} / {run_id} did not finish in {timeout} s")


def capture_live_log(J):
    """Follows the log of a running ati_slow task (a scratch run, deleted afterwards)."""
    run = "capture__slow"
    path = f"/dags/ati_slow/dagRuns/{run}"
    raw_request("DELETE", path)
    raw_request("POST", "/dags/ati_slow/dagRuns", {"dag_run_id": run, "conf": {"seconds": 12}})
    sti = f"{path}/taskInstances/slow"
    deadline = time.time() + 180
    while time.time() < deadline:
        _, status, _, raw = raw_request("GET", sti)
        if status == 200 and json.loads(raw)["state"] == "running":
            break
        time.sleep(0.5)
    else:
        raise SystemExit("capture: ati_slow never reached running")
    time.sleep(3)
    capture("ti-get-running", "GET", sti, "TI while running", headers=J)
    _, first = capture("log-running-json-1", "GET", f"{sti}/logs/1", "running task, first read", headers=J,
                       extra=token_extra)
    time.sleep(2)
    capture("log-running-json-2-with-token", "GET", f"{sti}/logs/1?token={q(first['continuation_token'])}",
            "running task, second read with the token (only new lines)", headers=J, extra=token_extra)
    capture("log-running-text", "GET", f"{sti}/logs/1", "running task as text/plain", headers={"Accept": "text/plain"})
    wait_run("ati_slow", run)
    capture("log-after-finish-with-old-token", "GET", f"{sti}/logs/1?token={q(first['continuation_token'])}",
            "finished task, read with the token from the running phase", headers=J, extra=token_extra)
    raw_request("DELETE", path)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    J = {"Accept": "application/json"}

    # --- basics, auth, errors -----------------------------------------------------------------
    capture("health", "GET", "/health", "unauthenticated health endpoint (not under /api/v1)", auth=False, api=False)
    capture("version", "GET", "/version", "GET /api/v1/version", headers=J)
    capture("version-no-auth", "GET", "/version", "/version needs no credentials", headers=J, auth=False)
    # 2.11.2 answers both with 401 (re-recorded for issue 20); the 403s come from a Viewer-role user.
    capture("auth-401-no-credentials", "GET", f"{TI}/flaky", "no Authorization header", headers=J, auth=False)
    capture("auth-401-wrong-password", "GET", f"{TI}/flaky", "wrong password", headers=J, auth=basic(USER, "wrong"))
    capture("error-404-dag", "GET", f"/dags/nope/dagRuns/{FR}/taskInstances/flaky", "unknown dag_id on single TI", headers=J)
    capture("error-404-ti", "GET", f"{TI}/nope", "unknown task_id on single TI", headers=J)
    capture("error-404-run", "GET", f"/dags/ati_fixture/dagRuns/nope/taskInstances/flaky", "unknown run on single TI", headers=J)
    capture("error-404-mapped-via-unmapped-path", "GET", f"{TI}/square", "mapped task through the unmapped path", headers=J)
    capture("error-404-map-index-out-of-range", "GET", f"{TI}/square/9", "map_index that does not exist", headers=J)
    capture("error-404-unmapped-with-map-index", "GET", f"{TI}/flaky/0", "unmapped task with map_index 0", headers=J)
    capture("error-404-listMapped-unmapped", "GET", f"{TI}/flaky/listMapped", "listMapped on an unmapped task", headers=J)
    capture("error-400-unknown-query-param", "GET", f"{TI}?bogus=1", "strict connexion validation", headers=J)
    capture("ti-list-negative-limit", "GET", f"{TI}?limit=-1", "negative limit (no check_limit on TI lists)", headers=J,
            extra=lambda b: {"returned_items": len(b.get("task_instances", []))} if isinstance(b, dict) else None)
    capture("error-500-bad-state-filter", "GET", f"{TI}?state=bogus", "unknown state in GET filter", headers=J)
    capture("error-404-unroutable", "GET", "/no/such/route", "path that no route matches", headers=J)
    capture("error-405-method", "DELETE", f"{TI}/flaky", "method not allowed on a TI path", headers=J)

    # --- task instances ---------------------------------------------------------------------------
    capture("ti-get-unmapped-flaky", "GET", f"{TI}/flaky", "unmapped TI that succeeded on try 2", headers=J)
    capture("ti-get-unmapped-linked", "GET", f"{TI}/linked", "TI with task_display_name and rendered_fields", headers=J)
    capture("ti-get-upstream-failed", "GET", f"{TI}/after_fail", "never-run TI (upstream_failed)", headers=J)
    capture("ti-get-mapped-square-2", "GET", f"{TI}/square/2", "mapped TI with rendered_map_index", headers=J)
    capture("ti-list-run", "GET", TI, "all TIs of the fixture run", headers=J)
    capture("ti-list-mapped-square", "GET", f"{TI}/square/listMapped", "listMapped, default order", headers=J)
    capture("ti-list-mapped-square-order-desc", "GET", f"{TI}/square/listMapped?order_by=-map_index",
            "listMapped ordered by -map_index", headers=J)
    capture("ti-list-mapped-bad-order", "GET", f"{TI}/square/listMapped?order_by=bogus", "unsupported order_by", headers=J)
    capture("ti-list-all-limit-1", "GET", "/dags/~/dagRuns/~/taskInstances?limit=1", "total_entries across all runs", headers=J)
    status, body = capture("ti-list-all-limit-150", "GET", "/dags/~/dagRuns/~/taskInstances?limit=150",
                           "is limit clamped to maximum_page_limit=100?", headers=J,
                           extra=lambda b: {"returned_items": len(b.get("task_instances", []))} if isinstance(b, dict) else None)
    capture("ti-list-all-limit-0", "GET", "/dags/~/dagRuns/~/taskInstances?limit=0", "limit 0", headers=J,
            extra=lambda b: {"returned_items": len(b.get("task_instances", []))} if isinstance(b, dict) else None)
    capture("ti-list-order-by", "GET", "/dags/~/dagRuns/~/taskInstances?limit=2&order_by=-start_date",
            "order_by on the plain list endpoint", headers=J)
    capture("ti-list-state-filter", "GET", "/dags/~/dagRuns/~/taskInstances?state=failed&state=upstream_failed",
            "repeated state filter", headers=J)
    capture("ti-list-state-comma", "GET", "/dags/~/dagRuns/~/taskInstances?state=failed,upstream_failed",
            "comma-separated state filter", headers=J)
    capture("ti-list-date-filter-encoded", "GET",
            "/dags/~/dagRuns/~/taskInstances?limit=1&execution_date_gte=2024-01-05T00%3A00%3A00%2B00%3A00",
            "execution_date_gte with + percent-encoded", headers=J)
    capture("ti-list-date-filter-raw-plus", "GET",
            "/dags/~/dagRuns/~/taskInstances?limit=1&execution_date_gte=2024-01-05T00:00:00+00:00",
            "execution_date_gte with a raw + (decodes to a space)", headers=J)
    capture("ti-list-tilde-run-in-single-path", "GET", "/dags/ati_fixture/dagRuns/~/taskInstances/flaky",
            "~ as run id on the single-TI path is a literal id", headers=J)
    capture("ti-batch-list", "POST", "/dags/~/dagRuns/~/taskInstances/list",
            "batch list with page_limit", body={"dag_ids": ["ati_fixture"], "page_limit": 3, "page_offset": 0}, headers=J)
    capture("ti-batch-list-unknown-field", "POST", "/dags/~/dagRuns/~/taskInstances/list",
            "batch list with an unknown body field", body={"dag_idz": ["x"]}, headers=J)
    capture("ti-tries-flaky", "GET", f"{TI}/flaky/tries", "tries of the flaky task", headers=J)
    capture("ti-try-flaky-1", "GET", f"{TI}/flaky/tries/1", "try 1 (from task_instance_history)", headers=J)
    capture("ti-try-flaky-2", "GET", f"{TI}/flaky/tries/2", "try 2 (the live row)", headers=J)
    capture("ti-tries-mapped-square-0", "GET", f"{TI}/square/0/tries", "tries of a mapped TI", headers=J)
    capture("ti-dependencies-after-fail", "GET", f"{TI}/after_fail/dependencies", "dependencies of upstream_failed TI", headers=J)
    capture("dagrun-get-encoded-id", "GET", f"/dags/ati_fixture/dagRuns/{FR}", "run id with : and + percent-encoded", headers=J)
    capture("dagrun-get-raw-id", "GET", f"/dags/ati_fixture/dagRuns/{FIXTURE_RUN}", "run id with raw : and + in the path",
            headers=J)

    # --- logs --------------------------------------------------------------------------------------
    capture("log-flaky-try1-json", "GET", f"{TI}/flaky/logs/1", "failed try 1, JSON", headers=J, extra=token_extra)
    status, log2 = capture("log-flaky-try2-json", "GET", f"{TI}/flaky/logs/2", "successful try 2, JSON", headers=J,
                           extra=token_extra)
    capture("log-flaky-try2-text", "GET", f"{TI}/flaky/logs/2", "text/plain", headers={"Accept": "text/plain"})
    capture("log-flaky-try2-accept-star", "GET", f"{TI}/flaky/logs/2", "Accept: */*", headers={"Accept": "*/*"})
    capture("log-flaky-try2-no-accept", "GET", f"{TI}/flaky/logs/2", "no Accept header at all (urllib sends none)")
    capture("log-flaky-try2-axios-accept", "GET", f"{TI}/flaky/logs/2", "axios default Accept",
            headers={"Accept": "application/json, text/plain, */*"})
    if status == 200:
        capture("log-flaky-try2-json-with-token", "GET",
                f"{TI}/flaky/logs/2?token={q(log2['continuation_token'])}",
                "second call with the returned token (finished TI: nothing new)", headers=J, extra=token_extra)
    capture("log-flaky-try3-json", "GET", f"{TI}/flaky/logs/3", "try number beyond the last try", headers=J,
            extra=token_extra)
    capture("log-flaky-try0-json", "GET", f"{TI}/flaky/logs/0", "try number 0", headers=J, extra=token_extra)
    capture("log-never-run-json", "GET", f"{TI}/after_fail/logs/1", "TI that never ran", headers=J, extra=token_extra)
    capture("log-bad-token", "GET", f"{TI}/flaky/logs/2?token=not-a-token", "forged token", headers=J)
    capture("log-full-content", "GET", f"{TI}/flaky/logs/2?full_content=true", "full_content=true", headers=J,
            extra=token_extra)
    capture("log-mapped-square-1-json", "GET", f"{TI}/square/logs/1?map_index=1", "mapped TI log", headers=J,
            extra=token_extra)
    capture("log-mapped-without-map-index", "GET", f"{TI}/square/logs/1", "mapped TI log without map_index", headers=J)
    capture("log-chatty-json", "GET", f"{TI}/chatty/logs/1", "log over 1 MB (content shortened in this file)",
            headers=J, extra=token_extra)
    capture("log-chatty-text", "GET", f"{TI}/chatty/logs/1", "log over 1 MB as text/plain (shortened)",
            headers={"Accept": "text/plain"})
    capture("log-404-unknown-task", "GET", f"{TI}/nope/logs/1", "log of a task that does not exist", headers=J)

    # --- extra links ------------------------------------------------------------------------------
    capture("links-linked", "GET", f"{TI}/linked/links", "extra links of the unmapped LinkedOperator", headers=J)
    capture("links-linked-mapped-1", "GET", f"{TI}/linked_mapped/links?map_index=1", "mapped, map_index=1", headers=J)
    capture("links-linked-mapped-no-index", "GET", f"{TI}/linked_mapped/links", "mapped without map_index", headers=J)
    capture("links-no-links-task", "GET", f"{TI}/flaky/links", "task without extra links", headers=J)
    capture("links-404-dag", "GET", f"/dags/nope/dagRuns/{FR}/taskInstances/linked/links", "unknown DAG", headers=J)

    # --- mutations on a scratch run (deleted at the end) -------------------------------------------
    raw_request("DELETE", f"/dags/ati_many/dagRuns/{SCRATCH_RUN}")
    raw_request("POST", "/dags/ati_many/dagRuns", {"dag_run_id": SCRATCH_RUN, "logical_date": "2023-06-01T00:00:00+00:00"})
    wait_run("ati_many", SCRATCH_RUN)
    STI = f"/dags/ati_many/dagRuns/{SCRATCH_RUN}/taskInstances"
    capture("patch-state-default-dry-run", "PATCH", f"{STI}/t_00", "PATCH without dry_run (defaults to true)",
            body={"new_state": "failed"}, headers=J)
    capture("patch-state-real", "PATCH", f"{STI}/t_01", "PATCH dry_run=false", body={"dry_run": False, "new_state": "failed"},
            headers=J)
    capture("patch-state-bad-state", "PATCH", f"{STI}/t_02", "PATCH with an invalid state",
            body={"dry_run": False, "new_state": "running"}, headers=J)
    capture("patch-state-unknown-field", "PATCH", f"{STI}/t_02", "PATCH with an unknown field",
            body={"dryrun": False, "new_state": "failed"}, headers=J)
    capture("set-note", "PATCH", f"{STI}/t_03/setNote", "setNote response", body={"note": "hello from capture.py"}, headers=J)
    capture("set-note-null", "PATCH", f"{STI}/t_03/setNote", "setNote with null", body={"note": None}, headers=J)
    capture("ti-get-after-note", "GET", f"{STI}/t_03", "TI after setNote", headers=J)
    capture("ti-get-after-patch", "GET", f"{STI}/t_01", "TI after PATCH dry_run=false", headers=J)
    raw_request("DELETE", f"/dags/ati_many/dagRuns/{SCRATCH_RUN}")

    if os.environ.get("ATI_CAPTURE_LIVE", "1") == "1":
        capture_live_log(J)
    print(f"captured into {os.path.abspath(OUT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
