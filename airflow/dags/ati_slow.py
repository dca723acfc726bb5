"""Fixture DAG with one slow task, for following a running task's log.

`slow` logs a numbered line every 0.2 s for `seconds` seconds (default 60), then succeeds.
Trigger with conf {"seconds": 20} to shorten it. On 2.11 (SequentialExecutor) nothing else runs
while it runs; 3.3's LocalExecutor (parallelism 2) runs other tasks meanwhile. See airflow/README.md.
"""

from __future__ import annotations

import logging
import time

import pendulum

# Airflow 3 (airflow.sdk, the task SDK) first, else Airflow 2.11, which has no airflow.sdk; see ati_fixture.py.
try:
    from airflow.sdk import dag, task
except ImportError:  # Airflow 2
    from airflow.decorators import dag, task

DEFAULT_SECONDS = 60.0
INTERVAL = 0.2
MAX_SECONDS = 3600.0


@dag(
    dag_id="ati_slow",
    schedule=None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    is_paused_upon_creation=False,
    tags=["ati", "fixture"],
    default_args={"retries": 0, "owner": "ati"},
    doc_md=__doc__,
)
def ati_slow():
    @task
    def slow(**context):
        log = logging.getLogger("airflow.task")
        conf = context["dag_run"].conf or {}
        try:
            seconds = float(conf.get("seconds", DEFAULT_SECONDS))
        except (TypeError, ValueError):
            seconds = DEFAULT_SECONDS
        seconds = min(max(seconds, 0.0), MAX_SECONDS)
        total = int(round(seconds / INTERVAL))
        log.info("slow: %d lines, one every %.1f s (%.1f s)", total, INTERVAL, seconds)
        for i in range(1, total + 1):
            # Each line reaches the log file at once (2.11: the task logger's FileHandler; 3.3: the supervisor).
            log.info("slow line %05d/%05d", i, total)
            time.sleep(INTERVAL)
        log.info("slow: done")

    slow()


ati_slow()
