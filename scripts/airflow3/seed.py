"""Creates the fixture DAG runs on Airflow 3.3 through /api/v2 and waits until they are finished.

The same runs as scripts/airflow/seed.py creates on 2.11 (same DAG ids, run ids, logical dates, conf
and expected final states). Run through seed.sh (which sources env.sh). Idempotent: runs that exist
and are finished are left alone, unfinished ones are waited for, missing ones are created. `--reset`
deletes the seed runs (only when all are finished) and their log files first, then creates them
again. Standard library only. Nothing secret is printed: the password goes only into the
POST /auth/token body and the token only into the Authorization header.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ORIGIN = os.environ.get("AIRFLOW3_URL", "http://127.0.0.1:28090")
API = ORIGIN + "/api/v2"
USERNAME = os.environ.get("AIRFLOW3_USERNAME", "admin")
PASSWORD = os.environ.get("AIRFLOW3_PASSWORD", "admin")

LOG_DIR = os.path.join(os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow")), "logs")
FINISHED = ("success", "failed")
MIN_TOTAL_TASK_INSTANCES = 250


def seed_runs():
    """(dag_id, dag_run_id, logical_date, conf, expected final state). Same list as scripts/airflow/seed.py."""
    runs = [
        ("ati_fixture", "it__2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00", {}, "failed"),
        ("ati_slow", "slow__2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00", {"seconds": 3}, "success"),
    ]
    for day in range(1, 6):
        date = f"2024-01-0{day}T00:00:00+00:00"
        runs.append(("ati_many", f"many__{date}", date, {}, "success"))
    return runs


class ApiError(Exception):
    def __init__(self, status, body, method, path):
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:500]}")
        self.status = status


_token = None


def fetch_token():
    body = json.dumps({"username": USERNAME, "password": PASSWORD}).encode()
    req = urllib.request.Request(ORIGIN + "/auth/token", data=body, method="POST")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            if resp.status != 201:
                raise ApiError(resp.status, "expected 201", "POST", "/auth/token")
            return json.loads(resp.read().decode())["access_token"]
    except urllib.error.HTTPError as err:
        raise ApiError(err.code, err.read().decode(errors="replace"), "POST", "/auth/token") from None


def call(method, path, body=None, _retried=False):
    global _token
    if _token is None:
        _token = fetch_token()
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(API + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + _token)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read().decode()
            return json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        text = err.read().decode(errors="replace")
        if err.code == 401 and not _retried:
            # Expired token (a short [api_auth] jwt_expiration_time): get a new one, once.
            _token = None
            return call(method, path, body, _retried=True)
        raise ApiError(err.code, text, method, path) from None


def seg(value):
    return urllib.parse.quote(value, safe="")


def run_path(dag_id, run_id):
    return f"/dags/{seg(dag_id)}/dagRuns/{seg(run_id)}"


def get_run(dag_id, run_id):
    try:
        return call("GET", run_path(dag_id, run_id))
    except ApiError as err:
        if err.status == 404:
            return None
        raise


def ti_states(dag_id, run_id):
    body = call("GET", run_path(dag_id, run_id) + "/taskInstances?limit=100")
    counts = {}
    for ti in body["task_instances"]:
        counts[ti["state"] or "none"] = counts.get(ti["state"] or "none", 0) + 1
    return ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="delete the (finished) seed runs and their log files, then create them again")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("ATI3_SEED_TIMEOUT", "900")))
    args = parser.parse_args()
    started = time.monotonic()
    runs = seed_runs()

    if args.reset:
        existing = [(r[0], r[1], get_run(r[0], r[1])) for r in runs]
        busy = [f"{d} / {r} ({run['state']})" for d, r, run in existing if run and run["state"] not in FINISHED]
        if busy:
            print("seed: --reset refused, unfinished seed runs: " + "; ".join(busy), file=sys.stderr)
            print("seed: wait for them (run seed.sh without --reset) or wipe everything:", file=sys.stderr)
            print("      down.sh && rm -rf \"$AIRFLOW_HOME\" && up.sh && seed.sh", file=sys.stderr)
            return 1
        for dag_id, run_id, run in existing:
            if run is not None:
                call("DELETE", run_path(dag_id, run_id))
                print(f"deleted  {dag_id} / {run_id}")
            log_dir = os.path.join(LOG_DIR, f"dag_id={dag_id}", f"run_id={run_id}")
            if os.path.isdir(log_dir):
                shutil.rmtree(log_dir)

    pending = []
    for dag_id, run_id, logical_date, conf, expected in runs:
        run = get_run(dag_id, run_id)
        if run is None:
            # v2: logical_date is a required key (null would give a manual run without one; the seed
            # gives the same logical dates as on 2.11). run_after is the time of this POST.
            run = call(
                "POST",
                f"/dags/{seg(dag_id)}/dagRuns",
                {"dag_run_id": run_id, "logical_date": logical_date, "conf": conf, "note": "created by seed.sh"},
            )
            print(f"created  {dag_id} / {run_id} (state {run['state']})")
        elif run["state"] in FINISHED:
            print(f"exists   {dag_id} / {run_id} (state {run['state']})")
        else:
            print(f"waiting  {dag_id} / {run_id} (state {run['state']})")
        if run["state"] not in FINISHED:
            pending.append((dag_id, run_id))

    last = {}
    while pending:
        if time.monotonic() - started > args.timeout:
            for dag_id, run_id in pending:
                print(f"TIMEOUT  {dag_id} / {run_id}: {ti_states(dag_id, run_id)}", file=sys.stderr)
            print(f"seed: runs not finished within {args.timeout} s (is the scheduler running?)", file=sys.stderr)
            return 1
        time.sleep(2)
        still = []
        for dag_id, run_id in pending:
            state = get_run(dag_id, run_id)["state"]
            if state in FINISHED:
                print(f"finished {dag_id} / {run_id}: {state} ({int(time.monotonic() - started)} s)")
                continue
            still.append((dag_id, run_id))
            if dag_id != "ati_many":
                summary = ti_states(dag_id, run_id)
                if last.get(run_id) != summary:
                    last[run_id] = summary
                    print(f"  ...    {dag_id} / {run_id}: {summary}")
        pending = still

    problems = []
    for dag_id, run_id, _, _, expected in runs:
        state = get_run(dag_id, run_id)["state"]
        if state != expected:
            problems.append(f"{dag_id} / {run_id} ended {state}, expected {expected} ({ti_states(dag_id, run_id)})")
    total = call("GET", "/dags/~/dagRuns/~/taskInstances?limit=1")["total_entries"]
    if total < MIN_TOTAL_TASK_INSTANCES:
        problems.append(f"only {total} task instances in total, expected >= {MIN_TOTAL_TASK_INSTANCES}")

    print(f"task instances in total: {total}")
    print(f"seed finished in {int(time.monotonic() - started)} s")
    if problems:
        for p in problems:
            print(f"seed: {p}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ApiError, urllib.error.URLError, OSError) as exc:
        print(f"seed: {exc}", file=sys.stderr)
        sys.exit(1)
