"""The figures (helped rate and average rating per channel, location, team, organisation), the
figures page for team leads, the open checks on the resident overview, and the state table
against an independent oracle."""

import datetime as dt

import pytest
from django.utils import timezone

from eenloket.core.states import SYSTEM
from eenloket.helped import selectors, states
from eenloket.helped.models import CheckState
from eenloket.residents.overview import open_items

from ..factories import LocationFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(sent_check, enschede, enschede_location):
    """Five checks of Enschede: at the town hall two helped (ratings 4 and 5), one not helped
    (rating 1); at the district office one helped by phone, one without answer."""
    district = LocationFactory(organisation=enschede, name="Wijkkantoor Oost")
    phone_team = TeamFactory(organisation=enschede, name="Contactcentrum")

    def make(state, rating=None, *, location=enschede_location, channel="balie", team=None):
        check, _ = sent_check(location=location, channel=channel)
        check.state, check.rating = state, rating
        check.helped = {CheckState.HELPED: True, CheckState.NOT_HELPED: False}.get(state)
        if team is not None:
            check.team = team
        check.save()
        return check

    make(CheckState.HELPED, 4)
    make(CheckState.HELPED, 5)
    make(CheckState.NOT_HELPED, 1)
    make(CheckState.HELPED, None, location=district, channel="telefoon", team=phone_team)
    make(CheckState.NO_ANSWER, None, location=district, channel="telefoon", team=phone_team)
    make(CheckState.SKIPPED)  # never asked: not counted
    return district


def test_helped_rate_and_rating_by_location(answered, enschede):
    since = timezone.now() - dt.timedelta(days=30)
    rates = {r.label: r for r in selectors.helped_rates([enschede.pk], since, "location")}
    town_hall, district = rates["Stadhuis Enschede"], rates["Wijkkantoor Oost"]
    assert (town_hall.asked, town_hall.answered, town_hall.helped) == (3, 3, 2)
    assert town_hall.helped_percent == 67
    assert town_hall.average_rating == pytest.approx(3.3)
    assert (district.asked, district.answered, district.helped, district.no_answer) == (2, 1, 1, 1)
    assert district.helped_rate == 1.0 and district.average_rating is None
    assert district.response_rate == 0.5


def test_helped_rate_by_channel_team_and_organisation_use_names(answered, enschede, maastricht):
    since = timezone.now() - dt.timedelta(days=30)
    by_channel = {r.label: r.asked for r in selectors.helped_rates([enschede.pk], since, "channel")}
    assert by_channel == {"Balie": 3, "Telefoon": 2}
    by_team = {r.label: r.asked for r in selectors.helped_rates([enschede.pk], since, "team")}
    assert by_team == {"Contactcentrum": 2, "Publiekszaken": 3}
    by_org = selectors.helped_rates([enschede.pk, maastricht.pk], since, "organisation")
    assert [(r.label, r.asked) for r in by_org] == [("Gemeente Enschede", 5)]
    asked_via = selectors.helped_rates([enschede.pk], since, "asked_via")
    assert [r.label for r in asked_via] == ["E-mail"]
    # Other organisations' checks, and checks asked before `since`, are not counted.
    assert selectors.helped_rates([maastricht.pk], since, "location") == []
    later = timezone.now() + dt.timedelta(days=1)
    assert selectors.helped_rates([enschede.pk], later, "location") == []
    with pytest.raises(ValueError):
        selectors.helped_rates([enschede.pk], since, "bsn")


def test_figures_page_for_team_leads_only(answered, ui_as, lead, counter):
    response = ui_as(lead).get("/geholpen/cijfers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bent u geholpen? – cijfers" in html
    assert "Stadhuis Enschede" in html and "Wijkkantoor Oost" in html
    assert "67%" in html and "Balie" in html
    assert ui_as(counter).get("/geholpen/cijfers/").status_code == 403
    assert ui_as(lead).get("/geholpen/cijfers/?periode=onzin").status_code == 200


def test_open_checks_on_the_resident_overview_for_own_organisation_only(
    sent_check, counter, counter_maastricht, resident
):
    check, _ = sent_check()
    items = [i for i in open_items(counter, resident) if i.kind == "Bent u geholpen?"]
    assert len(items) == 1
    item = items[0]
    assert item.due == check.answer_due_at
    assert item.status == "Vraag verstuurd"
    assert "Bijzondere bijstand" in item.title and "Gemeente Enschede" in item.title
    assert item.link == f"/contacten/{check.contact.uuid}/"
    assert not [i for i in open_items(counter_maastricht, resident) if i.kind == "Bent u geholpen?"]
    check.state = CheckState.HELPED
    check.save()
    assert not [i for i in open_items(counter, resident) if i.kind == "Bent u geholpen?"]


# The oracle: (action, from state, party) → to state, written out by hand.
S = CheckState
ORACLE = {
    ("send", S.SCHEDULED, SYSTEM): S.SENT,
    ("call", S.SCHEDULED, SYSTEM): S.CALLING,
    ("skip", S.SCHEDULED, SYSTEM): S.SKIPPED,
    ("helped", S.SENT, states.RESIDENT): S.HELPED,
    ("helped", S.CALLING, states.CALLER): S.HELPED,
    ("not-helped", S.SENT, states.RESIDENT): S.NOT_HELPED,
    ("not-helped", S.CALLING, states.CALLER): S.NOT_HELPED,
    ("no-answer", S.SENT, SYSTEM): S.NO_ANSWER,
    ("no-answer", S.CALLING, states.CALLER): S.NO_ANSWER,
}


def test_state_table_matches_the_oracle():
    from django.core.exceptions import PermissionDenied, ValidationError

    for action in states.CHECK.actions:
        for state in S.values:
            for party in states.PARTIES:
                expected = ORACLE.get((action, state, party))
                try:
                    row = states.CHECK.check(action, state, {party})
                    got = row.target
                except (PermissionDenied, ValidationError):
                    got = None
                assert got == expected, (action, state, party)
    assert {S.SCHEDULED, S.SENT, S.CALLING} == states.OPEN
    assert {S.HELPED, S.NOT_HELPED, S.NO_ANSWER, S.SKIPPED} == states.FINAL
