"""The official Python client's side of the real-server benchmark (bench/real/run.ts).

Runs in the venv bench/real/install-python-clients.sh made: apache-airflow-client 2.10.x there
speaks Airflow 2's /api/v1, 3.3.x Airflow 3's /api/v2. One long-lived process per line; it reads
one JSON command a line on stdin and answers one JSON line on stdout:

  {"job": "setup", "root", "username", "password", "ref": {dag_id, dag_run_id, task_id}, "logRef": {...}}
  {"job": "get"}            one get_task_instance of ref
  {"job": "get-cold"}       a new ApiClient (and on v2 a new token from POST /auth/token), then one get
  {"job": "list"}           get_task_instances("~", "~") page after page (limit 100) to total_entries
  {"job": "read"}           get_log of logRef, try 1 (v2: Accept application/json)
  {"job": "follow", "ref", "pollMs"}  get_log with the continuation token until the end of the log,
                            sleeping pollMs between reads (v1: the token's end_of_log; v2: a null token)

Each answer: {"ok": true, "wallMs", "cpuMs", "check": {...}} (time.perf_counter and
time.process_time around the job only), or {"ok": false, "error"}. Nothing secret is printed.
"""

from __future__ import annotations

import base64
import json
import sys
import time
import traceback
from importlib.metadata import version

import urllib3

import airflow_client.client as ac
from airflow_client.client.api.task_instance_api import TaskInstanceApi

CLIENT_VERSION = version("apache-airflow-client")
V2 = int(CLIENT_VERSION.split(".")[0]) >= 3

state: dict = {}


def fetch_token(root: str, username: str, password: str) -> str:
    """A JWT from Airflow 3's POST /auth/token (the 3.x client has no call for it)."""
    http = state.setdefault("http", urllib3.PoolManager())
    answer = http.request("POST", root + "/auth/token", body=json.dumps({"username": username, "password": password}),
                          headers={"Content-Type": "application/json"})
    if answer.status != 201:
        raise RuntimeError(f"POST /auth/token answered {answer.status}")
    return json.loads(answer.data)["access_token"]


def make_api(cold: bool = False) -> TaskInstanceApi:
    s = state["setup"]
    if V2:
        token = fetch_token(s["root"], s["username"], s["password"]) if cold or "token" not in state else state["token"]
        state.setdefault("token", token)
        config = ac.Configuration(host=s["root"], access_token=token)
    else:
        config = ac.Configuration(host=s["root"] + "/api/v1", username=s["username"], password=s["password"])
    return TaskInstanceApi(ac.ApiClient(config))


def v1_end_of_log(token: str | None) -> bool:
    """Airflow 2's continuation token is itsdangerous' URLSafeSerializer: base64url JSON, a dot, a signature."""
    if not token:
        return False
    payload = token.split(".")[0]
    return bool(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("end_of_log"))


def job_get(api: TaskInstanceApi, ref: dict) -> dict:
    ti = api.get_task_instance(ref["dag_id"], ref["dag_run_id"], ref["task_id"])
    return {"state": str(ti.state.value if hasattr(ti.state, "value") else ti.state), "try_number": ti.try_number}


def job_list(api: TaskInstanceApi) -> dict:
    offset, total, count, keys = 0, None, 0, set()
    pages = 0
    while total is None or offset < total:
        page = api.get_task_instances("~", "~", limit=100, offset=offset)
        pages += 1
        items = page.task_instances or []
        total = page.total_entries
        if not items:
            break
        for ti in items:
            keys.add((ti.dag_id, ti.dag_run_id, ti.task_id, ti.map_index))
        count += len(items)
        offset += len(items)
    return {"count": count, "unique": len(keys), "total": total, "pages": pages}


def read_once(api: TaskInstanceApi, ref: dict, token: str | None):
    kwargs = {"token": token} if token else {}
    if V2:
        return api.get_log(ref["dag_id"], ref["dag_run_id"], ref["task_id"], 1, accept="application/json", **kwargs)
    return api.get_log(ref["dag_id"], ref["dag_run_id"], ref["task_id"], 1, **kwargs)


def content_stats(answer) -> tuple[int, list[str]]:
    """(size, events): v2 records' events; v1 the content string (Airflow 2's repr of (host, text) pairs)."""
    if V2:
        records = answer.content.actual_instance or []
        events = [r.event if hasattr(r, "event") else str(r) for r in records]
        return len(records), events
    return len(answer.content or ""), [answer.content or ""]


def job_read(api: TaskInstanceApi, ref: dict) -> dict:
    answer = read_once(api, ref, None)
    size, events = content_stats(answer)
    return {"size": size, "unit": "records" if V2 else "characters", "done": any("chatty done" in e for e in events)}


def job_follow(api: TaskInstanceApi, ref: dict, poll_ms: float) -> dict:
    token, reads, events = None, 0, []
    while True:
        answer = read_once(api, ref, token)
        reads += 1
        events.extend(content_stats(answer)[1])
        token = answer.continuation_token
        if (token is None) if V2 else v1_end_of_log(token):
            break
        time.sleep(poll_ms / 1000)
    text = "\n".join(events)
    return {"reads": reads, "slowLines": text.count("slow line "), "done": "slow: done" in text,
            "exitLine": "Task exited with return code" in text, "endedAtMs": time.time() * 1000}


def handle(command: dict) -> dict:
    job = command["job"]
    if job == "setup":
        state["setup"] = command
        state["api"] = make_api()
        return {"ok": True, "client": CLIENT_VERSION, "python": sys.version.split()[0]}
    api = state["api"]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if job == "get":
        check = job_get(api, state["setup"]["ref"])
    elif job == "get-cold":
        check = job_get(make_api(cold=True), state["setup"]["ref"])
    elif job == "list":
        check = job_list(api)
    elif job == "read":
        check = job_read(api, state["setup"]["logRef"])
    elif job == "follow":
        check = job_follow(api, command["ref"], command.get("pollMs", 1000))
    else:
        raise ValueError(f"unknown job {job!r}")
    return {"ok": True, "wallMs": (time.perf_counter() - wall0) * 1000, "cpuMs": (time.process_time() - cpu0) * 1000, "check": check}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as error:  # the orchestrator decides what to do with a failed job
            answer = {"ok": False, "error": f"{type(error).__name__}: {str(error)[:800]}", "trace": traceback.format_exc()[-1500:]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
