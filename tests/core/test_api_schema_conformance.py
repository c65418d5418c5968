"""The OpenAPI schema tells the truth: schemathesis generates requests for every operation of
/api/v1/schema/ (valid and invalid ones), sends them over real HTTP to the app (live_server on
PostgreSQL, with the demo data and a counter employee's token) and checks every answer against the
schema: no server error, only documented status codes and content types, bodies and headers as
declared, valid input accepted and invalid input refused.

Bounded: EXAMPLES valid and EXAMPLES invalid cases per operation, deterministic (derandomized),
no shrinking. The operations are split into SHARDS tests (by a hash of the operation) so that
the test workers share them; together about 100 s of work. `SCHEMATHESIS_EXAMPLES=100 pytest tests/core/test_api_schema_conformance.py -s`
searches deeper (the figures are printed with -s)."""

import json
import os
import time
import zlib
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from eenloket.devtools import demo
from eenloket.organisations.models import User

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
SHARDS = 4
USER = "enschede.balie"  # baliemedewerker of Gemeente Enschede: a contact role

# Mismatches that are someone else's to fix, listed so that the run stays useful meanwhile:
# {("METHOD /path", "failure title"): "why"}. They are still printed. Remove an entry when fixed.
KNOWN: dict[tuple[str, str], str] = {}


@pytest.fixture
def demo_api(live_server):
    demo.load(residents=40, contacts=300)
    user = User.objects.get(username=USER)
    token, _ = Token.objects.get_or_create(user=user)
    return live_server.url, {"Authorization": f"Token {token.key}"}


def ids_by_path(base, headers) -> dict[str, list[str]]:
    """Real ids the user may see, per collection, so that detail and action operations are also
    tried on existing objects (not only on random, unknown ids)."""
    collections = [
        "organisations",
        "teams",
        "locations",
        "staff-directory",
        "services",
        "contact-moments",
        "referrals",
        "live-consults",
    ]
    ids = {}
    with requests.Session() as session:
        for name in collections:
            body = session.get(f"{base}/api/v1/{name}/", headers=headers, timeout=30).json()
            rows = body["results"] if isinstance(body, dict) else body
            key = "id" if name == "services" else "uuid"
            ids[f"/api/v1/{name}/"] = [row[key] for row in rows[:10]]
    return ids


def run_operation(operation, mode, base, headers, ids, failures, statistics):
    known_ids = next(
        (values for prefix, values in ids.items() if operation.path.startswith(prefix)), []
    )
    strategy = operation.as_strategy(generation_mode=mode)
    # "Valid data is accepted": for queries, with one allowance (valid_query_accepted). Whether a
    # request body is acceptable depends on data and state the schema cannot express (an existing
    # team, a referral that is still open, a time not in the future), so it is not checked there.
    excluded = [positive_data_acceptance]
    additional = [] if "requestBody" in operation.definition.raw else [valid_query_accepted]
    if known_ids and "{uuid}" in operation.path and mode is GenerationMode.POSITIVE:
        strategy = st.tuples(strategy, st.one_of(st.none(), st.sampled_from(known_ids))).map(
            lambda pair: _with_id(*pair)
        )

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        statistics["cases"] += 1
        response = case.call(base_url=base, headers=headers, timeout=30)
        statistics[response.status_code // 100 * 100] += 1
        try:
            case.validate_response(
                response, headers=headers, excluded_checks=excluded, additional_checks=additional
            )
        except (AssertionError, FailureGroup) as exc:
            for failure in getattr(exc, "exceptions", [exc]):
                title = getattr(failure, "title", type(failure).__name__)
                key = (operation.label, mode.value, title)
                answer = f"{response.status_code}: {response.content[:300]!r}"
                failures.setdefault(key, f"{failure}\n{answer}\n{case.as_curl_command(headers)}")

    try:
        check()
    except Unsatisfiable:  # nothing in this operation can be made invalid (no parameters)
        statistics["unsatisfiable"] += 1


# A well-formed value that names nothing (an unknown municipality code, a cursor the server never
# issued): the schema cannot list what exists, so a 400 with only these codes is an honest answer.
UNKNOWN_REFERENCE = {"does_not_exist", "bad_cursor"}
ACCEPTED = {401, 403, 404, 409, 429}


def valid_query_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, except for references to what does not exist."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code < 400 or response.status_code in ACCEPTED:
        return None
    if response.status_code == 400:
        body = json.loads(response.content or b"{}")
        codes = {p.get("code") for p in body.get("invalid_params", [])}
        if codes and codes <= UNKNOWN_REFERENCE:
            return None
    raise AssertionError(
        f"Schema-valid request rejected ({response.status_code}): {response.content[:300]!r}"
    )


def _with_id(case, uuid):
    if uuid is not None:
        case.path_parameters = {**(case.path_parameters or {}), "uuid": uuid}
    return case


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_answers_as_its_openapi_schema_says(demo_api, shard):
    base, headers = demo_api
    started = time.monotonic()
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/schema/?format=json", headers=headers)
    ids = ids_by_path(base, headers)
    failures: dict = {}
    statistics: Counter = Counter()
    operations = 0
    only = os.environ.get("SCHEMATHESIS_ONLY", "")  # e.g. "POST /api/v1/referrals/" (debugging)
    for result in schema.get_all_operations():
        operation = result.ok()
        if only and not operation.label.startswith(only):
            continue
        if zlib.crc32(operation.label.encode()) % SHARDS != shard:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run_operation(operation, mode, base, headers, ids, failures, statistics)
    elapsed = time.monotonic() - started
    known = {k: v for k, v in failures.items() if (k[0], k[2]) in KNOWN}
    unexpected = {k: v for k, v in failures.items() if (k[0], k[2]) not in KNOWN}
    for label, mode, title in known:
        print(f"known: {label} [{mode}] {title}: {KNOWN[label, title]}")
    summary = (
        f"schemathesis: {operations} operations, {statistics['cases']} cases "
        f"(2xx {statistics[200]}, 4xx {statistics[400]}, 5xx {statistics[500]}), "
        f"{len(unexpected)} failures, {len(known)} known, {elapsed:.1f} s"
    )
    print(summary)
    report = "\n\n".join(
        f"{label} [{mode}] {title}\n{detail}"
        for (label, mode, title), detail in sorted(unexpected.items())
    )
    assert operations or only, "an empty shard: fewer operations than shards?"
    assert not unexpected, f"{summary}\n\n{report}"
    assert statistics[500] == 0
