"""Fixture DAG with one slow task, for following a running task's log (Airflow 3 port).

Same DAG id and task id as airflow/dags/ati_slow.py. `slow` logs a numbered line every 0.2 s for
`seconds` seconds (default 60), then succeeds. Trigger with conf {"seconds": 20} to shorten it.
Unlike 2.11's SequentialExecutor, the LocalExecutor (parallelism 2) runs other tasks meanwhile.
"""

from __future__ import annotations

import logging
import time

import pendulum
from airflow.sdk import dag, task

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
            # Each record reaches the supervisor (and the log file) as it is written.
            log.info("slow line %05d/%05d", i, total)
            time.sleep(INTERVAL)
        log.info("slow: done")

    slow()


ati_slow()
