"""Issue 8: reads of live consults (the resident's question, on both sides) and the admin's
referral and consult screens write access-log rows, without one row per quiet poll."""

import pytest

from eenloket.core.audit import Activity, subject_of
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.referrals import services
from eenloket.referrals.models import LiveConsult

from ..factories import ContactMomentFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(db):
    return ResidentFactory(given_names="Noor", surname="Vlasman")


@pytest.fixture
def contact(enschede, enschede_location, counter_enschede, resident):
    return ContactMomentFactory(
        organisation=enschede,
        location=enschede_location,
        staff=counter_enschede,
        resident=resident,
        question="Mijn WW stopt en ik weet niet wat nu.",
    )


@pytest.fixture
def consult(counter_enschede, uwv_staff, contact, uwv, enschede_location):
    services.start_duty(user=uwv_staff, location=enschede_location)
    return services.request_consult(
        user=counter_enschede, contact=contact, to_organisation=uwv, question="Meekijken WW?"
    )


def reads(**filters):
    return list(AccessLog.objects.filter(processing_activity_id="overleg-inzien", **filters))


def assert_one_read(resident, consult, *, organisation, channel, actor):
    [row] = reads()
    id_type, subject = subject_of(resident)
    assert (row.data_subject_id_type, row.data_subject_id) == (id_type, subject)
    assert row.object_type == "live-consult" and row.object_id == str(consult.uuid)
    assert row.actor_organisation == organisation and row.channel == channel
    assert row.actor_id == str(actor.uuid) and row.action == "read"
    assert row.purpose == Activity.CONSULT_VIEW.label


def test_api_list_and_detail_of_consults_are_logged(
    api_as, uwv_staff, counter_enschede, consult, resident
):
    colleague = api_as(uwv_staff)
    listed = colleague.get("/api/v1/live-consults/")
    assert [c["uuid"] for c in listed.json()] == [str(consult.uuid)]
    assert_one_read(resident, consult, organisation="uwv", channel="api", actor=uwv_staff)
    api_as(counter_enschede).get(f"/api/v1/live-consults/{consult.uuid}/")
    rows = reads(actor_id=str(counter_enschede.uuid))
    assert [(r.channel, r.actor_organisation, r.object_id) for r in rows] == [
        ("api", "gemeente-enschede", str(consult.uuid))
    ]


def test_duty_page_and_open_requests_partial_log_when_rendered_not_on_quiet_polls(
    ui_as, uwv_staff, consult, resident
):
    client = ui_as(uwv_staff)
    page = client.get("/overleg/")
    assert "Meekijken WW?" in page.content.decode()
    assert_one_read(resident, consult, organisation="uwv", channel="ui", actor=uwv_staff)
    partial = client.get("/overleg/open/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and len(reads()) == 2  # rendered: shown again
    key = partial.context["open_key"]
    for _ in range(3):  # the 3-second poll while nothing changes
        assert client.get(f"/overleg/open/?k={key}", HTTP_HX_REQUEST="true").status_code == 204
    assert len(reads()) == 2


def test_consult_page_and_status_partial_log_when_rendered_not_on_quiet_polls(
    ui_as, counter_enschede, uwv_staff, consult, resident
):
    requester = ui_as(counter_enschede)
    page = requester.get(f"/overleg/{consult.uuid}/")
    assert "Meekijken WW?" in page.content.decode()
    assert_one_read(
        resident, consult, organisation="gemeente-enschede", channel="ui", actor=counter_enschede
    )
    key = page.context["status_key"]
    for _ in range(3):
        quiet = requester.get(f"/overleg/{consult.uuid}/stand/?k={key}", HTTP_HX_REQUEST="true")
        assert quiet.status_code == 204
    assert len(reads()) == 1
    services.accept_consult(user=uwv_staff, consult=consult)
    changed = requester.get(f"/overleg/{consult.uuid}/stand/?k={key}", HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert len(reads(actor_id=str(counter_enschede.uuid))) == 2
    # The colleague who took it opens it: a read by UWV.
    ui_as(uwv_staff).get(f"/overleg/{consult.uuid}/")
    assert [r.actor_organisation for r in reads(actor_id=str(uwv_staff.uuid))] == ["uwv"]


def test_an_anonymous_contacts_consult_logs_nothing(
    ui_as, api_as, counter_enschede, uwv_staff, enschede, enschede_location, uwv
):
    anonymous = ContactMomentFactory(
        organisation=enschede, staff=counter_enschede, location=enschede_location, resident=None
    )
    services.start_duty(user=uwv_staff, location=enschede_location)
    consult = services.request_consult(
        user=counter_enschede, contact=anonymous, to_organisation=uwv, question="Anoniem"
    )
    ui_as(uwv_staff).get("/overleg/")
    ui_as(counter_enschede).get(f"/overleg/{consult.uuid}/")
    api_as(uwv_staff).get("/api/v1/live-consults/")
    assert reads() == []


@pytest.fixture
def admin_user(enschede):
    user = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    user.memberships.create(organisation=enschede, role=Role.FUNCTIONEEL_BEHEERDER)
    return user


def test_the_admin_referral_and_consult_screens_log_the_resident_shown(
    client, admin_user, counter_enschede, contact, consult, uwv, resident
):
    referral = services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="WW-vraag",
        preferred_channel="telefoon",
        discussed="Gesproken over de WW.",
    )
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    before = AccessLog.objects.count()
    # The lists show no resident data: no rows.
    assert client.get("/beheer/referrals/referral/").status_code == 200
    assert client.get("/beheer/referrals/liveconsult/").status_code == 200
    assert AccessLog.objects.count() == before
    page = client.get(f"/beheer/referrals/referral/{referral.pk}/change/")
    assert page.status_code == 200 and resident.full_name in page.content.decode()
    page = client.get(f"/beheer/referrals/liveconsult/{consult.pk}/change/")
    assert page.status_code == 200 and "Meekijken WW?" in page.content.decode()
    rows = AccessLog.objects.filter(processing_activity_id="beheer-inzien").order_by("id")
    assert [(r.object_type, r.object_id, r.channel, r.actor_organisation) for r in rows] == [
        ("referral", str(referral.uuid), "admin", "gemeente-enschede"),
        ("live-consult", str(consult.uuid), "admin", "gemeente-enschede"),
    ]
    assert {r.data_subject_id for r in rows} == {subject_of(resident)[1]}
    assert AccessLog.objects.count() == before + 2
    # A screen that does not exist logs nothing.
    assert client.get("/beheer/referrals/referral/999999/change/").status_code in (302, 404)
    assert AccessLog.objects.count() == before + 2
    assert LiveConsult.objects.count() == 1
