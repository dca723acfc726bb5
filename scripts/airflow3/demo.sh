#!/usr/bin/env bash
# An overview of the running Airflow 3.3 with plain HTTP (no client): the server's version, that
# POST /auth/token issues a token for the documented user (its claims, never the token itself), and
# the fixture runs with their task states, the extra link and the long log, all straight from
# /api/v2. Written as the 3.3 half of `make demo` while the client did not speak /api/v2; `make demo`
# now runs examples/demo.ts on 3.3, and this stays as a quick check of the harness (up.sh, seed.sh first).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ati_require_up "make airflow3-up airflow3-seed"
exec "$(ati_json_python)" - <<'PY'
import base64, json, os, urllib.parse, urllib.request

origin = os.environ["AIRFLOW3_URL"]

def request(method, path, body=None, token=None):
    req = urllib.request.Request(origin + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Accept", "application/json")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status, json.loads(resp.read().decode())

_, version = request("GET", "/api/v2/version")
print(f"Airflow {version['version']} at {origin} (REST API {origin}/api/v2)")

status, body = request("POST", "/auth/token", {"username": os.environ["AIRFLOW3_USERNAME"], "password": os.environ["AIRFLOW3_PASSWORD"]})
token = body["access_token"]
claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
print(f"POST /auth/token as {os.environ['AIRFLOW3_USERNAME']}: HTTP {status}, a JWT for sub={claims['sub']} role={claims.get('role')}, valid {claims['exp'] - claims['iat']} s")

get = lambda path: request("GET", "/api/v2" + path, token=token)[1]
q = lambda s: urllib.parse.quote(s, safe="")
print("\nFixture runs:")
for dag_id in ("ati_fixture", "ati_slow", "ati_many"):
    for run in get(f"/dags/{dag_id}/dagRuns?order_by=logical_date&limit=100")["dag_runs"]:
        tis = get(f"/dags/{dag_id}/dagRuns/{q(run['dag_run_id'])}/taskInstances?limit=100")
        counts = {}
        for ti in tis["task_instances"]:
            counts[ti["state"]] = counts.get(ti["state"], 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0])))
        print(f"  {dag_id:12} {run['dag_run_id']:34} {run['state']:8} logical_date {run['logical_date']}  ({tis['total_entries']} TIs: {summary})")

run = f"/dags/ati_fixture/dagRuns/{q('it__2024-01-01T00:00:00+00:00')}/taskInstances"
print("\nati_fixture / it__2024-01-01T00:00:00+00:00, task by task:")
for ti in sorted(get(run + "?limit=100")["task_instances"], key=lambda t: (t["task_id"], t["map_index"])):
    mapped = f"[{ti['map_index']}]" if ti["map_index"] >= 0 else ""
    print(f"  {ti['task_id'] + mapped:16} {str(ti['state']):16} try {ti['try_number']}/{ti['max_tries'] + 1}")
links = get(run + "/linked/links")["extra_links"]
print(f"\nextra link of 'linked': {links}")
log = get(run + "/chatty/logs/1")
print(f"log of 'chatty' try 1: {len(log['content'])} structured records, the last line printed: {[r['event'] for r in log['content'] if r.get('logger') == 'task.stdout'][-1]!r}")
PY
