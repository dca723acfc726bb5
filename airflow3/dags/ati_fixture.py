"""Fixture DAG for the airflow-task-instances integration tests (Airflow 3 port).

Same DAG id, task ids and outcomes as airflow/dags/ati_fixture.py (Airflow 2.11); only the imports
differ (the task SDK, ``airflow.sdk``). One run covers: a mapped task with 4 indexes (and rendered
map indexes), a long log, a task that fails on try 1 and succeeds on try 2, a permanently failing
task with an upstream_failed child, a skipped task, and an operator extra link (unmapped and
mapped). The run itself ends "failed" (because of fail_always) on purpose. See airflow3/README.md
for what the tests rely on and where Airflow 3 differs.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from ati_links import LinkedOperator  # from airflow3/plugins (on sys.path)

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
            # 80 characters of payload per line (one structured record each on Airflow 3).
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
