"""OpenAPI post-processing (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): every operation
documents the error answers it can really give, as RFC 7807 problem+json (core.api), so that the
schema tells the truth without each view listing them again.

- 401 and 403: every operation needs a signed-in staff member (and some a role);
- 400: the operation takes query parameters or a request body;
- 404: the operation has a path parameter, or a `page` parameter (a page past the end);
- 413 and 415: the operation takes a request body (too large; not JSON).
A 4xx answer that a view documented with a description only gets the problem+json content.

An optional query parameter with an empty value (`?outcome=`) counts as absent everywhere (DRF,
django-filter, the pagination, the views): `allowEmptyValue: true` says so. And Django's and DRF's
text fields refuse the NUL character (PostgreSQL cannot store it): a free-text query parameter
gets the pattern that says so."""

NO_NUL = r"^[^\x00]*$"

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Een fout volgens RFC 7807 (application/problem+json), in het Nederlands.",
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Soort fout."},
        "title": {"type": "string", "description": "Korte omschrijving van de soort fout."},
        "status": {"type": "integer", "description": "De HTTP-statuscode."},
        "detail": {"type": "string", "description": "Wat er precies mis is."},
        "instance": {"type": "string", "description": "Het pad van het verzoek."},
        "code": {"type": "string", "description": "Bij 409: de code van het conflict."},
        "invalid_params": {
            "type": "array",
            "description": "Bij 400: welke velden of parameters niet kloppen, en waarom.",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "code", "reason"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}
DESCRIPTIONS = {
    "400": "Ongeldige invoer: problem+json met `invalid_params`.",
    "401": "Niet ingelogd (geen of een onbekend token).",
    "403": "Geen toegang: u heeft hiervoor niet de juiste rol of organisatie.",
    "404": "Niet gevonden, of u mag niet weten dat het bestaat.",
    "413": "Het verzoek is te groot (API_MAX_BODY_BYTES).",
    "415": "Dit formaat wordt niet ondersteund: stuur JSON.",
}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def _statuses(path: str, operation: dict) -> list[str]:
    parameters = operation.get("parameters", [])
    query = [p for p in parameters if p.get("in") == "query"]
    statuses = ["401", "403"]
    if query or "requestBody" in operation:
        statuses.append("400")
    if "{" in path or any(p["name"] == "page" for p in query):
        statuses.append("404")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    return statuses


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                if not parameter.get("required"):
                    parameter.setdefault("allowEmptyValue", True)
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "format"} & set(schema):
                    schema.setdefault("pattern", NO_NUL)
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, operation):
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status.startswith("4") and not response.get("content"):
                    response["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
    return result
