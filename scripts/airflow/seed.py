"""Creates the fixture DAG runs through the REST API and waits until they are finished.

Run through seed.sh (which sources env.sh). The runs, and the creating and waiting, are
scripts/lib/seed_common.py's, shared with Airflow 3.3 (scripts/airflow3/seed.py); this file says how
to reach Airflow 2.11: /api/v1 with basic auth. Nothing secret is printed (credentials go into the
Authorization header only).
"""

from __future__ import annotations

import base64
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
import seed_common  # noqa: E402  (scripts/lib)


class BasicAuthApi(seed_common.Api):
    def __init__(self):
        super().__init__(os.environ.get("AIRFLOW_API_URL", "http://127.0.0.1:28080/api/v1"))
        credentials = "{}:{}".format(os.environ.get("AIRFLOW_USERNAME", "admin"), os.environ.get("AIRFLOW_PASSWORD", "admin"))
        self._header = "Basic " + base64.b64encode(credentials.encode()).decode()

    def authorization(self):
        return self._header


if __name__ == "__main__":
    seed_common.run(BasicAuthApi(), ti_limit=1000, timeout_env="ATI_SEED_TIMEOUT", description=__doc__.splitlines()[0])
