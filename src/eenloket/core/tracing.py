import uuid
from contextvars import ContextVar

_trace_id: ContextVar[str | None] = ContextVar("trace_id", default=None)


def set_trace_id(value, token=None):
    if token is not None:
        _trace_id.reset(token)
        return None
    return _trace_id.set(value)


def current_trace_id() -> str:
    """The request's trace id, or a fresh one for work outside a request (commands, sweeps)."""
    return _trace_id.get() or uuid.uuid4().hex
