"""Fixture DAG for the airflow-task-instances integration tests, on Airflow 2.11 and 3.3 alike.

One run covers: a mapped task with 4 indexes (and rendered map indexes), a >1 MB log, a task that
fails on try 1 and succeeds on try 2, a permanently failing task with an upstream_failed child, a
skipped task, and an operator extra link (unmapped and mapped). The run itself ends "failed"
(because of fail_always) on purpose. Facts the tests rely on are listed in airflow/README.md
(airflow3/README.md: where Airflow 3 answers differently); change them together.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum

# One file for both lines: scripts/airflow (2.11) and scripts/airflow3 (3.3) both use this folder.
# Airflow 3 moved DAG authoring into the task SDK (airflow.sdk) and keeps airflow.decorators and
# airflow.operators.python only as deprecated aliases; Airflow 2.11 has no airflow.sdk at all.
try:
    from airflow.sdk import dag, get_current_context, task
    from airflow.sdk.exceptions import AirflowSkipException
except ImportError:  # Airflow 2
    from airflow.decorators import dag, task
    from airflow.exceptions import AirflowSkipException
    from airflow.operators.python import get_current_context

from ati_links import LinkedOperator  # from airflow/plugins (on sys.path)

CHATTY_LINES = 15000
CHATTY_PAYLOAD = "abcdefghijklmnopqrstuvwxyz0123456789" * 3


@dag(
    dag_id="ati_fixture",
    schedule=None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    is_paused_upon_creation=False,
    max_active_runs=4,
    tags=["ati", "fixture"],
    default_args={"retries": 0, "owner": "ati"},
    doc_md=__doc__,
)
def ati_fixture():
    @task
    def make_items():
        return [1, 2, 3, 4]

    @task(map_index_template="x={{ ati_x }}")
    def square(x: int):
        get_current_context()["ati_x"] = x
        print(f"square({x}) = {x * x}")
        return x * x

    @task
    def chatty():
        # A few lines that are hard to round-trip through the Python-repr log "content" format of 2.11.
        print("quote-test: it's a \"double\" and 'single' quote, back\\slash, tab[\t]")
        print("unicode-test: Grüße, €, 日本語, emoji 🚀")
        for i in range(1, CHATTY_LINES + 1):
            # 80 characters of payload per line (plus Airflow 2's log prefix; one structured record each on 3).
            print(f"chatty {i:05d}/{CHATTY_LINES} {CHATTY_PAYLOAD}"[:80])
        print("chatty done")

    @task(retries=1, retry_delay=timedelta(seconds=1))
    def flaky(**context):
        try_number = context["ti"].try_number
        print(f"flaky: this is try {try_number}")
        if try_number < 2:
            raise RuntimeError("flaky: failing try 1 on purpose (try 2 will succeed)")
        print("flaky: succeeded on try 2")

    @task
    def fail_always():
        raise RuntimeError("fail_always: failing on purpose")

    @task
    def after_fail():
        print("after_fail: never runs (upstream_failed)")

    @task
    def skip_me():
        raise AirflowSkipException("skip_me: skipped on purpose")

    square.expand(x=make_items())
    chatty()
    flaky()
    fail_always() >> after_fail()
    skip_me()
    LinkedOperator(task_id="linked", item="solo", task_display_name="Linked solo task")
    LinkedOperator.partial(task_id="linked_mapped").expand(item=["a", "b"])


ati_fixture()
