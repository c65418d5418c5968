"""pytest (pyproject.toml): the development settings, with Celery tasks in-process and quiet logs
(warnings and up).

The Content-Security-Policy is the one of every environment, plus two sources that only the
browser tests' own tools need, never the pages: axe-core, which tests/browser.py injects as
an inline script (allowed by its hash), and 'unsafe-eval' for Playwright's wait_for_function
with a string. tests/core/test_browser_csp.py checks the pages under the exact policy of production."""

import os

from csp.constants import UNSAFE_EVAL

from .base import *  # noqa: F403
from .base import BASE_DIR, content_security_policy, env_bool, logging_settings, script_hash

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOGGING = logging_settings(fmt="console", level=LOG_LEVEL)

_AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CONTENT_SECURITY_POLICY = content_security_policy(
    script_src=[UNSAFE_EVAL, *([script_hash(_AXE)] if _AXE.exists() else [])]
)
