"""Airflow plugin for the airflow-task-instances fixtures: an operator extra link.

Operator extra links only survive DAG serialisation (webserver/REST API side) when the link class
is registered through a plugin, so both the link and the operator that carries it live here.
The fixture DAG imports ``LinkedOperator`` from this module (the plugins folder is on sys.path).
"""

from __future__ import annotations

from urllib.parse import quote

from airflow.models.baseoperator import BaseOperator
from airflow.models.baseoperatorlink import BaseOperatorLink
from airflow.plugins_manager import AirflowPlugin

RUNBOOK_BASE_URL = "https://runbook.example.com"


class AtiRunbookLink(BaseOperatorLink):
    """Deterministic URL built only from the task instance key (no XCom needed)."""

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
