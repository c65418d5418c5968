"""Audit of changes (django-auditlog; <app>/auditlog.py): an edit in the admin or in the beheer
screens of the catalogue is recorded with who made it, when, what changed and the trace id of the
request; passwords and last logins are never in it. And every admin screen that shows a
resident's data writes the access log (organisations/admin.py LogsResidentReads)."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.test import Client

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role
from eenloket.organisations.admin import LogsResidentReads
from eenloket.residents.models import RegisterAuthorisation, Resident

from ..factories import ServiceFactory, TeamFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(db):
    return UserFactory(username="beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client_of(beheerder):
    client = Client()
    client.force_login(beheerder, backend="django.contrib.auth.backends.ModelBackend")
    return client


def posted(form) -> dict:
    """The data a browser sends for a form as shown (its initial values)."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        key, value, widget = form.add_prefix(name), form[name].value(), field.widget
        if hasattr(widget, "decompress"):  # split date and time
            for i, part in enumerate(widget.decompress(value)):
                data[f"{key}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        elif value is not None:
            data[key] = str(value)
    return data


def admin_form_data(response) -> dict:
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(posted(formset.management_form))
        for form in formset.forms:
            data.update(posted(form))
    return data


def entries_for(obj):
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp", "id"))


def test_team_edit_in_the_admin_records_who_what_and_the_trace(
    admin_client_of, beheerder, enschede
):
    team = TeamFactory(organisation=enschede, name="Publiekszaken")
    url = f"/beheer/organisations/team/{team.pk}/change/"
    data = admin_form_data(admin_client_of.get(url))
    data["name"] = "Burgerzaken"
    data["phone"] = "053 481 1111"
    response = admin_client_of.post(url, data, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302, response.context and response.context["errors"]

    change = entries_for(team)[-1]
    assert change.action == LogEntry.Action.UPDATE
    assert change.actor == beheerder
    assert change.changes_dict == {
        "name": ["Publiekszaken", "Burgerzaken"],
        "phone": [team.phone, "053 481 1111"],
    }
    assert change.cid == response["X-Trace-Id"], "the same trace id as the request's log"
    assert change.remote_addr == "192.0.2.10"

    history = admin_client_of.get(f"/beheer/organisations/team/{team.pk}/auditlog/")
    assert history.status_code == 200
    assert "Burgerzaken" in history.content.decode()


def test_membership_change_in_the_user_admin_is_recorded_without_password_or_login(
    admin_client_of, beheerder, enschede
):
    team = TeamFactory(organisation=enschede)
    colleague = staff(enschede, Role.BALIEMEDEWERKER, team=team, username="collega")
    membership = colleague.memberships.get()
    url = f"/beheer/organisations/user/{colleague.pk}/change/"
    data = admin_form_data(admin_client_of.get(url))
    data["memberships-0-role"] = Role.TEAMLEIDER
    data["job_title"] = "Teamleider publiekszaken"
    response = admin_client_of.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    change = entries_for(membership)[-1]
    assert change.actor == beheerder
    assert change.changes_dict == {"role": [Role.BALIEMEDEWERKER, Role.TEAMLEIDER]}
    user_change = entries_for(colleague)[-1]
    assert user_change.actor == beheerder
    assert "job_title" in user_change.changes_dict

    # signing in changes last_login and a new password changes the hash: neither is recorded
    signed_in = Client().post("/inloggen/", {"username": "collega", "password": "Loket-test-2026!"})
    assert signed_in.status_code == 302
    colleague.refresh_from_db()
    colleague.set_password("Een-nieuw-wachtwoord-2026!")
    colleague.save()
    for entry in entries_for(colleague):
        assert not {"password", "last_login"} & set(entry.changes_dict)
    assert entries_for(colleague)[-1] == user_change, "nothing else to record"


def test_register_authorisation_edit_in_the_admin_is_recorded(admin_client_of, beheerder):
    authorisation = RegisterAuthorisation.objects.filter(organisation_type="uwv").first()
    assert authorisation is not None, "seeded by the migration (conftest)"
    url = f"/beheer/residents/registerauthorisation/{authorisation.pk}/change/"
    data = admin_form_data(admin_client_of.get(url))
    data["legal_ground"] = "Wet SUWI, artikel 54"
    assert admin_client_of.post(url, data).status_code == 302

    change = entries_for(authorisation)[-1]
    assert change.actor == beheerder
    assert change.changes_dict["legal_ground"][1] == "Wet SUWI, artikel 54"


def test_local_service_and_municipal_wording_from_the_catalogue_screens_are_recorded(
    ui_as, catalogue_manager_enschede, enschede
):
    client = ui_as(catalogue_manager_enschede)
    response = client.post(
        "/catalogus/nieuw/",
        {"name": "Wijkteam Oost", "description": "Hulp in de wijk.", "channels": ["balie"]},
    )
    assert response.status_code == 302
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_repr__contains="Oost")
    assert created.count() == 1
    assert created.get().actor == catalogue_manager_enschede
    assert created.get().changes_dict["name"] == ["None", "Wijkteam Oost"]

    national = ServiceFactory(name="Paspoort aanvragen")
    url = f"/catalogus/{national.uuid}/aanpassen/"
    client.post(url, {"description": "Maak eerst een afspraak.", "is_offered": "on"})
    client.post(url, {"description": "Maak eerst online een afspraak.", "is_offered": "on"})
    override = national.overrides.get(tenant=enschede)
    create, update = entries_for(override)
    assert (create.action, update.action) == (LogEntry.Action.CREATE, LogEntry.Action.UPDATE)
    assert update.actor == catalogue_manager_enschede
    assert update.changes_dict == {
        "description": ["Maak eerst een afspraak.", "Maak eerst online een afspraak."]
    }


def test_every_audited_model_shows_its_history_in_the_admin():
    from auditlog.mixins import AuditlogHistoryAdminMixin
    from auditlog.registry import auditlog

    for model in auditlog.get_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:  # shown inline with its parent (memberships, opening hours)
            assert model._meta.model_name in {"membership", "openinghours"}, model
            continue
        assert isinstance(model_admin, AuditlogHistoryAdminMixin), model


def test_admin_screens_with_resident_data_log_their_reads():
    """A guard for new admin screens: one that shows a resident or a contact moment (directly or
    through a link to one) writes the access log, like the referral and consult screens."""
    personal = {Resident, ContactMoment}
    for model, model_admin in admin.site._registry.items():
        links = {f.related_model for f in model._meta.get_fields() if f.is_relation and f.concrete}
        if model in personal or links & personal:
            assert isinstance(model_admin, LogsResidentReads), model
