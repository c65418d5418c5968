"""`/api/v1/helped-checks/`: scoped to the user's organisations (a matrix across organisations),
filters by contact, referral and state, no token or nonce in the output, reads logged, errors as
problem+json, and the schema documents it."""

import pytest

from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.helped import services
from eenloket.helped.models import CheckState, HelpedCheck

from ..conftest import problem
from ..factories import ContactMomentFactory, staff

pytestmark = pytest.mark.django_db

LIST = "/api/v1/helped-checks/"


@pytest.fixture
def checks(sent_check, maastricht, counter_maastricht):
    """One check of Enschede (asked by e-mail), one of Maastricht."""
    enschede_check, _token = sent_check()
    other, _ = sent_check(
        organisation=maastricht, staff=counter_maastricht, location=None, service=None
    )
    return enschede_check, other


def test_each_organisation_sees_only_its_own_checks(
    checks, api_as, counter, counter_maastricht, uwv_staff
):
    enschede_check, maastricht_check = checks
    expected = {
        counter: {str(enschede_check.uuid)},
        counter_maastricht: {str(maastricht_check.uuid)},
        uwv_staff: set(),
    }
    for user, uuids in expected.items():
        response = api_as(user).get(LIST)
        assert response.status_code == 200
        assert {row["uuid"] for row in response.json()["results"]} == uuids
    # One of another organisation: 404, as if it did not exist.
    problem(api_as(counter).get(f"{LIST}{maastricht_check.uuid}/"), 404)
    problem(api_as(uwv_staff).get(f"{LIST}{enschede_check.uuid}/"), 404)


def test_detail_has_the_answer_but_never_the_token_or_nonce(checks, api_as, counter, team):
    check, _ = checks
    body = api_as(counter).get(f"{LIST}{check.uuid}/").json()
    assert body["state"] == "verstuurd" and body["state_label"] == "Vraag verstuurd"
    assert body["channel"] == "email" and body["channel_label"] == "E-mail"
    assert body["contact"] == str(check.contact.uuid) and body["referral"] is None
    assert body["organisation"] == "gemeente-enschede"
    assert body["team"] == str(team.uuid) and body["team_name"] == "Publiekszaken"
    text = str(body)
    assert "nonce" not in body and "token" not in text
    assert check.nonce not in text


def test_filters_by_contact_referral_and_state(checks, api_as, counter, sent_check):
    check, _ = checks
    answered, _t = sent_check()
    answered.state = CheckState.HELPED
    answered.save()
    client = api_as(counter)
    rows = client.get(LIST, {"contact": str(check.contact.uuid)}).json()["results"]
    assert [r["uuid"] for r in rows] == [str(check.uuid)]
    rows = client.get(LIST, {"state": "geholpen"}).json()["results"]
    assert [r["uuid"] for r in rows] == [str(answered.uuid)]
    assert client.get(LIST, {"referral": str(check.contact.uuid)}).json()["results"] == []
    body = problem(client.get(LIST, {"state": "onzin"}), 400)
    assert body["invalid_params"]
    problem(client.get(LIST, {"contact": "geen-uuid"}), 400)


def test_reads_are_logged(checks, api_as, counter):
    check, _ = checks
    api_as(counter).get(LIST)
    api_as(counter).get(f"{LIST}{check.uuid}/")
    rows = AccessLog.objects.filter(processing_activity_id="geholpen-vraag")
    assert rows.count() == 2
    assert {r.object_id for r in rows} == {str(check.uuid)}
    assert {r.channel for r in rows} == {"api"}


def test_without_login_or_contact_role(checks, api_client, management_enschede, api_as):
    problem(api_client.get(LIST), 401)
    problem(api_as(management_enschede).get(LIST), 403)


def test_no_writes(checks, api_as, counter):
    check, _ = checks
    assert api_as(counter).post(LIST, {}).status_code == 405
    assert api_as(counter).delete(f"{LIST}{check.uuid}/").status_code == 405


def test_a_team_lead_sees_the_organisations_checks(checks, api_as, enschede):
    check, _ = checks
    lead = staff(enschede, Role.TEAMLEIDER, username="lead")
    rows = api_as(lead).get(LIST).json()["results"]
    assert [r["uuid"] for r in rows] == [str(check.uuid)]


def test_the_schema_documents_the_endpoint(api_as, counter):
    response = api_as(counter).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/helped-checks/" in paths
    params = {p["name"] for p in paths["/api/v1/helped-checks/"]["get"]["parameters"]}
    assert {"contact", "referral", "state", "cursor"} <= params
    assert "404" in paths["/api/v1/helped-checks/{uuid}/"]["get"]["responses"]


def test_skipped_check_shows_its_reason(api_as, counter, enschede, resident):
    contact = ContactMomentFactory(organisation=enschede, staff=counter, resident=resident)
    resident.helped_check_opt_out = True
    resident.save()
    services.schedule_checks()
    check = HelpedCheck.objects.get(contact=contact)
    body = api_as(counter).get(f"{LIST}{check.uuid}/").json()
    assert (body["state"], body["skip_reason"]) == ("overgeslagen", "opt-out")
    assert body["skip_reason_label"] == "De inwoner wil geen vraag 'bent u geholpen?'."
