"""Flask-AppBuilder settings of the fixture Airflow webserver.

Flask-AppBuilder defaults AUTH_ROLE_PUBLIC to "Public", which makes Airflow 2.11's
check_authentication accept anonymous requests, so a wrong password gets 403 (permission
denied) instead of 401. Setting it to None restores 401 for missing or wrong credentials.
"""

from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
AUTH_ROLE_PUBLIC = None
WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = None
