"""The mismatches between the OpenAPI schema and the API that a schemathesis run found, one by one
(test_schema_conformance.py runs schemathesis itself; these name each finding)."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, name):
    return schema["components"]["schemas"][name]


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_nullable_referral_links_are_declared_nullable(schema):
    for name in ("previous", "next"):
        assert component(schema, "Referral")["properties"][name]["nullable"] is True


def test_empty_url_fields_are_declared_as_url_or_empty(schema):
    for name in ("upl_uri", "legal_basis_url"):
        field = component(schema, "Service")["properties"][name]
        assert "format" not in field
        assert field["anyOf"] == [{"format": "uri"}, {"maxLength": 0}]
    assert "format" not in component(schema, "Organisation")["properties"]["website"]
    assert component(schema, "Service")["properties"]["municipality"]["nullable"] is True


def test_opening_hours_are_a_local_time_not_an_rfc3339_time(schema):
    opens = component(schema, "OpeningHours")["properties"]["opens"]
    assert "format" not in opens and opens["pattern"].startswith("^([01]")


def test_routing_question_is_required_and_not_empty(schema):
    (q,) = [
        p
        for p in schema["paths"]["/api/v1/routing/suggest"]["get"]["parameters"]
        if p["name"] == "q"
    ]
    assert q["required"] is True and q["schema"]["minLength"] == 1


def test_every_operation_documents_its_problem_answers(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (method, path)
            assert set(operation["requestBody"]["content"]) == {"application/json"}
        for status, response in responses.items():
            if status.startswith("4"):
                assert set(response["content"]) == {"application/problem+json"}, (status, path)


def test_optional_query_parameters_allow_an_empty_value(schema):
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                assert parameter["allowEmptyValue"] is True, (path, parameter["name"])


def test_free_text_query_parameters_say_that_nul_is_refused(schema):
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            kind = parameter["schema"]
            free_text = kind.get("type") == "string" and not {"enum", "format"} & set(kind)
            if parameter["in"] == "query" and free_text:
                assert not re.search(kind["pattern"], "uwv\x00"), (path, parameter["name"])


@pytest.fixture
def client(api_as, counter_enschede):
    return api_as(counter_enschede)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("contact-moments/?extra_help_needed=4890", 400),  # was: ignored, 200
        ("contact-moments/?extra_help_needed=true", 200),
        ("contact-moments/?extra_help_needed=", 200),  # empty: absent
        ("contact-moments/?outcome=", 200),
        ("teams/?organisation__code=uwv%00", 400),  # documented: pattern without NUL
        ("contact-moments/?cursor=%00", 400),  # was: read as the first page
        ("referrals/?worklist=open&cursor=%00", 400),  # was: ignored
        ("contact-moments/?page_size=abc", 400),  # was: ignored, 200
        ("contact-moments/?page_size=0", 400),
        ("contact-moments/?page_size=", 200),
        ("services/?page_size=170835576252219228160", 200),  # more than 100 counts as 100
        ("services/?municipality=gemeente-atlantis", 400),
        ("routing/suggest?q=aow&limit=", 200),  # was: 400
        ("routing/suggest?q=", 400),  # documented: required, minLength 1
    ],
)
def test_query_answers_match_the_schema(client, query, status):
    response = client.get(f"/api/v1/{query}")
    assert response.status_code == status, response.content


def test_unknown_municipality_is_an_unknown_reference(client):
    body = client.get("/api/v1/services/?municipality=gemeente-atlantis").json()
    assert body["invalid_params"] == [
        {
            "name": "municipality",
            "code": "does_not_exist",
            "reason": "Deze gemeente kennen wij niet.",
        }
    ]


def test_an_empty_string_for_an_id_is_refused_not_read_as_null(client):
    body = {"channel": "balie", "question": "Vraag", "outcome": "beantwoord", "service": ""}
    response = client.post("/api/v1/contact-moments/", body, format="json")
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "service"


def test_the_api_takes_json_only(client):
    response = client.post(
        "/api/v1/contact-moments/",
        "channel=balie&question=Vraag&outcome=beantwoord",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
