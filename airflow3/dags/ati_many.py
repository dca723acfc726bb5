"""Fixture DAG with 60 no-op tasks, to give the task-instance list endpoints several pages (Airflow 3 port).

Same DAG id and task ids as airflow/dags/ati_many.py. All tasks are EmptyOperators without
callbacks, which the scheduler marks "success" itself without sending them to the executor. 50
top-level tasks t_00..t_49 plus 10 in the task group "grp" (grp.t_00..grp.t_09, task ids with a dot).
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import TaskGroup, dag

TOP_LEVEL_TASKS = 50
GROUP_TASKS = 10


@dag(
    dag_id="ati_many",
    schedule=None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    is_paused_upon_creation=False,
    max_active_runs=8,
    tags=["ati", "fixture"],
    default_args={"owner": "ati"},
    doc_md=__doc__,
)
def ati_many():
    for i in range(TOP_LEVEL_TASKS):
        EmptyOperator(task_id=f"t_{i:02d}")
    with TaskGroup(group_id="grp"):
        for i in range(GROUP_TASKS):
            EmptyOperator(task_id=f"t_{i:02d}")


ati_many()
