"""Creates the fixture DAG runs on Airflow 3.3 through /api/v2 and waits until they are finished.

Run through seed.sh (which sources env.sh). The runs, and the creating and waiting, are
scripts/lib/seed_common.py's, the same as on 2.11 (scripts/airflow/seed.py); this file says how to
reach Airflow 3.3: /api/v2 with a bearer JWT from POST /auth/token. Nothing secret is printed: the
password goes only into the POST /auth/token body and the token only into the Authorization header.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
import seed_common  # noqa: E402  (scripts/lib)

ORIGIN = os.environ.get("AIRFLOW3_URL", "http://127.0.0.1:28090")


class TokenApi(seed_common.Api):
    def __init__(self):
        super().__init__(ORIGIN + "/api/v2")
        self._token = None

    def authorization(self):
        if self._token is None:
            self._token = self._fetch_token()
        return "Bearer " + self._token

    def unauthorized(self):
        # Expired token (a short [api_auth] jwt_expiration_time): get a new one, once.
        self._token = None
        return True

    @staticmethod
    def _fetch_token():
        body = json.dumps({
            "username": os.environ.get("AIRFLOW3_USERNAME", "admin"),
            "password": os.environ.get("AIRFLOW3_PASSWORD", "admin"),
        }).encode()
        req = urllib.request.Request(ORIGIN + "/auth/token", data=body, method="POST")
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                if resp.status != 201:
                    raise seed_common.ApiError(resp.status, "expected 201", "POST", "/auth/token")
                return json.loads(resp.read().decode())["access_token"]
        except urllib.error.HTTPError as err:
            raise seed_common.ApiError(err.code, err.read().decode(errors="replace"), "POST", "/auth/token") from None


if __name__ == "__main__":
    seed_common.run(TokenApi(), ti_limit=100, timeout_env="ATI3_SEED_TIMEOUT", description=__doc__.splitlines()[0])
