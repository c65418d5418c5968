"""Settings for the experiments (bench/experiment_urls.py): the project's settings, the extra
/x/ URLs, and with BENCH_PREPARED=1 server-side binding + prepared statements (psycopg 3), so
PostgreSQL plans each query once per connection instead of on every execution."""

import os

from eenloket.conf.settings import *  # noqa: F403
from eenloket.conf.settings import DATABASES

ROOT_URLCONF = "experiment_urls"

if os.environ.get("BENCH_PREPARED") == "1":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
