import uuid

from .tracing import set_trace_id


class TraceIdMiddleware:
    """Gives every request a trace id (W3C traceparent if present) that the access log records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trace_id = None
        traceparent = request.headers.get("traceparent", "")
        parts = traceparent.split("-")
        if len(parts) == 4 and len(parts[1]) == 32:
            trace_id = parts[1]
        request.trace_id = trace_id or uuid.uuid4().hex
        token = set_trace_id(request.trace_id)
        try:
            response = self.get_response(request)
        finally:
            set_trace_id(None, token)
        response["X-Trace-Id"] = request.trace_id
        return response
