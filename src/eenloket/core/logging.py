"""Structured logs with structlog. Every record, ours and Django's (or Celery's) alike, is rendered
by one formatter: as one JSON object per line in production, readably on the console in
development, always with the level, the logger, a UTC timestamp and the trace id of the request
(core/tracing.py; the same id as in the access log and the X-Trace-Id header).

The settings build LOGGING with `logging_settings()`; Django calls `configure()` with it
(LOGGING_CONFIG), which also sets up structlog. Our own code logs with
`structlog.stdlib.get_logger(__name__)` and key-value pairs, never personal data (no names, no
BSN, no query strings)."""

import logging
import logging.config

import structlog

from .tracing import current_trace_id


def add_trace_id(logger, method_name, event_dict):
    """The trace id of the request (or of the task or command) the record belongs to. Django
    logs a request's error response after the middleware finished (django.request), so the
    request the record carries tells its trace id then."""
    if "trace_id" not in event_dict:
        request = getattr(event_dict.get("_record"), "request", None)
        event_dict["trace_id"] = getattr(request, "trace_id", None) or current_trace_id()
    return event_dict


def _shared_processors() -> list:
    """Processors for our records and for those of the standard library (Django, Celery)."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        add_trace_id,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _renderer(fmt: str):
    if fmt == "json":
        return [
            structlog.processors.format_exc_info,  # a traceback as one string field
            structlog.processors.JSONRenderer(sort_keys=True),
        ]
    return [structlog.dev.ConsoleRenderer(colors=False)]


def formatter(fmt: str = "console") -> structlog.stdlib.ProcessorFormatter:
    """The one formatter: JSON ("json") or readable lines ("console")."""
    return structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *_renderer(fmt)],
        foreign_pre_chain=_shared_processors(),
    )


def logging_settings(*, fmt: str = "console", level: str = "INFO") -> dict:
    """LOGGING for the settings: one handler on stderr with the structlog formatter; Django's
    loggers pass their records on to it instead of using their own handlers."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structlog": {"()": "eenloket.core.logging.formatter", "fmt": fmt}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structlog"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults print to the console only with DEBUG and mail admins; here
            # everything goes to the one handler above.
            "django": {"handlers": [], "level": level, "propagate": True},
            # runserver's own line per request: ours (eenloket.requests) says more, and leaves
            # out the query string; runserver's warnings and errors stay.
            "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
            # WeasyPrint reports every step of every letter at INFO; its warnings stay.
            "weasyprint": {"handlers": [], "level": "WARNING", "propagate": True},
            "fontTools": {"handlers": [], "level": "WARNING", "propagate": True},
            # In-process (eager) Celery tasks report each run at INFO; failures stay.
            "celery.app.trace": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }


def configure(logging_config: dict) -> None:
    """LOGGING_CONFIG: set up structlog, then the standard library's logging from LOGGING."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(logging_config)
