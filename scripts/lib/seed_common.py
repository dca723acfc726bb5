"""The fixture runs of both Airflow lines, and the seeding: create them through the REST API, wait.

Shared by scripts/airflow/seed.py (2.11: /api/v1, basic auth) and scripts/airflow3/seed.py (3.3:
/api/v2, a JWT from POST /auth/token), which only say how to reach their server. Both lines get the
same runs: same DAG ids, run ids, logical dates, conf, notes and expected final states.

Idempotent: runs that already exist and are finished are left alone, unfinished ones are waited for,
missing ones are created. `--reset` deletes the seed runs (only when all are finished) and their log
files first, then creates them again. Only the Python standard library is used.
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

LOG_DIR = os.path.join(os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow")), "logs")
FINISHED = ("success", "failed")
MIN_TOTAL_TASK_INSTANCES = 250


def seed_runs():
    """(dag_id, dag_run_id, logical_date, conf, expected final state). Keep airflow/README.md in sync."""
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


class Api:
    """JSON requests to one server's REST API (``base``: its /api/v1 or /api/v2 URL).

    A line's seed.py gives the Authorization header (``authorization``) and may get a new one after
    a 401 (``unauthorized`` returns True to retry the request once).
    """

    def __init__(self, base):
        self.base = base

    def authorization(self):
        raise NotImplementedError

    def unauthorized(self):
        return False

    def call(self, method, path, body=None, _retried=False):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", self.authorization())
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read().decode()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            text = err.read().decode(errors="replace")
            if err.code == 401 and not _retried and self.unauthorized():
                return self.call(method, path, body, _retried=True)
            raise ApiError(err.code, text, method, path) from None


def seg(value):
    return urllib.parse.quote(value, safe="")


def run_path(dag_id, run_id):
    return f"/dags/{seg(dag_id)}/dagRuns/{seg(run_id)}"


def seed(api, *, ti_limit, timeout_env, description):
    """Creates the seed runs on ``api`` and waits for them; returns the exit status."""

    def get_run(dag_id, run_id):
        try:
            return api.call("GET", run_path(dag_id, run_id))
        except ApiError as err:
            if err.status == 404:
                return None
            raise

    def ti_states(dag_id, run_id):
        body = api.call("GET", run_path(dag_id, run_id) + f"/taskInstances?limit={ti_limit}")
        counts = {}
        for ti in body["task_instances"]:
            counts[ti["state"] or "none"] = counts.get(ti["state"] or "none", 0) + 1
        return ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--reset", action="store_true", help="delete the (finished) seed runs and their log files, then create them again")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get(timeout_env, "900")))
    args = parser.parse_args()
    started = time.monotonic()
    runs = seed_runs()

    if args.reset:
        existing = [(r[0], r[1], get_run(r[0], r[1])) for r in runs]
        busy = [f"{d} / {r} ({run['state']})" for d, r, run in existing if run and run["state"] not in FINISHED]
        if busy:
            # Deleting a run whose tasks sit in the executor's queue makes the scheduler run them
            # against the recreated run (try_number 0, mixed logs). Let them finish first.
            print("seed: --reset refused, unfinished seed runs: " + "; ".join(busy), file=sys.stderr)
            print("seed: wait for them (run seed.sh without --reset) or wipe everything:", file=sys.stderr)
            print("      down.sh && rm -rf \"$AIRFLOW_HOME\" && up.sh && seed.sh", file=sys.stderr)
            return 1
        for dag_id, run_id, run in existing:
            if run is not None:
                api.call("DELETE", run_path(dag_id, run_id))
                print(f"deleted  {dag_id} / {run_id}")
            # Task log files are appended to, so remove the old run's logs too.
            log_dir = os.path.join(LOG_DIR, f"dag_id={dag_id}", f"run_id={run_id}")
            if os.path.isdir(log_dir):
                shutil.rmtree(log_dir)

    pending = []
    for dag_id, run_id, logical_date, conf, expected in runs:
        run = get_run(dag_id, run_id)
        if run is None:
            # v2 requires the logical_date key (null would give a manual run without one); both lines get
            # the same logical dates. On 3.3 run_after is the time of this POST.
            run = api.call(
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
    total = api.call("GET", "/dags/~/dagRuns/~/taskInstances?limit=1")["total_entries"]
    if total < MIN_TOTAL_TASK_INSTANCES:
        problems.append(f"only {total} task instances in total, expected >= {MIN_TOTAL_TASK_INSTANCES}")

    print(f"task instances in total: {total}")
    print(f"seed finished in {int(time.monotonic() - started)} s")
    if problems:
        for p in problems:
            print(f"seed: {p}", file=sys.stderr)
        return 1
    return 0


def run(api, **kwargs):
    """``seed`` as a command: exits with its status, or 1 with the error of a failed request."""
    try:
        sys.exit(seed(api, **kwargs))
    except (ApiError, urllib.error.URLError, OSError) as exc:
        print(f"seed: {exc}", file=sys.stderr)
        sys.exit(1)
