"""Fixture DAG with 60 no-op tasks, to give the task-instance list endpoints several pages.

All tasks are EmptyOperators without callbacks, which the scheduler marks "success" itself without
sending them to the executor, so a run of 60 tasks finishes in a few seconds even with 2.11's
SequentialExecutor. 50 top-level tasks t_00..t_49 plus 10 in the task group "grp"
(grp.t_00..grp.t_09, task ids containing a dot). See airflow/README.md.
"""

from __future__ import annotations

import pendulum

# Airflow 3 (airflow.sdk, the task SDK) first, else Airflow 2.11, which has no airflow.sdk; see ati_fixture.py.
try:
    from airflow.sdk import TaskGroup, dag
    from airflow.providers.standard.operators.empty import EmptyOperator
except ImportError:  # Airflow 2
    from airflow.decorators import dag
    from airflow.operators.empty import EmptyOperator
    from airflow.utils.task_group import TaskGroup

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
