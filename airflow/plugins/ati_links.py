"""Airflow plugin for the airflow-task-instances fixtures: an operator extra link.

One file for both lines (scripts/airflow and scripts/airflow3 both use this plugins folder): the
link name, its URL and the operator are the same; where the link is computed is not.

* Airflow 2.11: operator extra links only survive DAG serialisation (webserver/REST API side) when
  the link class is registered through a plugin, so both the link and the operator that carries it
  live here. The webserver calls ``get_link`` on request.
* Airflow 3.3: ``BaseOperator`` and ``BaseOperatorLink`` come from the task SDK (``airflow.sdk``). The
  link is computed by the *task* when it finishes (``finalize`` in the SDK's task runner calls
  ``get_link(operator, ti_key=<the running task instance>)``) and stored as an XCom under
  ``_link_AtiRunbookLink``; the API server's ``/links`` reads that XCom. So a task instance that never
  ran has ``null`` for the link. The plugin registration keeps the link class known to the API
  server and the DAG processor, as on 2.11.

The fixture DAG imports ``LinkedOperator`` from this module (the plugins folder is on sys.path).
"""

from __future__ import annotations

from urllib.parse import quote

from airflow.plugins_manager import AirflowPlugin

# Airflow 3 moved these into the task SDK; Airflow 2.11 has no airflow.sdk.
try:
    from airflow.sdk import BaseOperator, BaseOperatorLink
except ImportError:  # Airflow 2
    from airflow.models.baseoperator import BaseOperator
    from airflow.models.baseoperatorlink import BaseOperatorLink

RUNBOOK_BASE_URL = "https://runbook.example.com"


class AtiRunbookLink(BaseOperatorLink):
    """Deterministic URL built only from the task instance key (no XCom of the operator needed)."""

    name = "ATI Runbook"

    def get_link(self, operator, *, ti_key):
        run = quote(ti_key.run_id, safe="")
        return (
            f"{RUNBOOK_BASE_URL}/dags/{ti_key.dag_id}/runs/{run}/tasks/{ti_key.task_id}"
            f"?map_index={ti_key.map_index}"
        )


class LinkedOperator(BaseOperator):
    """Does nothing but log its item; exists to carry ``AtiRunbookLink``."""

    operator_extra_links = (AtiRunbookLink(),)
    template_fields = ("item",)

    def __init__(self, *, item: str = "unmapped", **kwargs):
        super().__init__(**kwargs)
        self.item = item

    def execute(self, context):
        self.log.info("LinkedOperator item=%s map_index=%s", self.item, context["ti"].map_index)
        return self.item


class AtiLinksPlugin(AirflowPlugin):
    name = "ati_links"
    operator_extra_links = [AtiRunbookLink()]
