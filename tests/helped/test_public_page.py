"""The public answer page over HTTP (Django test client): no login, CSRF, the resident's
language, tampered / expired / reused links refused without personal data, bad input, and the
rate limit per client address."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from eenloket.helped.models import CheckState
from eenloket.worklist.models import Task

pytestmark = pytest.mark.django_db


def url(token):
    return reverse("helped:answer", kwargs={"token": token})


def assert_no_personal_data(response, check):
    html = response.content.decode()
    resident = check.resident
    for secret in (resident.surname, resident.given_names, resident.email, "geheime vraag"):
        assert secret not in html, secret
    if resident.bsn:
        assert resident.bsn not in html


def test_the_question_without_login_shows_only_organisation_date_and_topic(sent_check):
    check, token = sent_check()
    response = Client().get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bent u geholpen met uw vraag over Bijzondere bijstand?" in html
    assert "Gemeente Enschede" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in html  # CSP: no inline scripts
    assert_no_personal_data(response, check)


def test_answer_nee_with_comment_then_thank_you(sent_check, team):
    check, token = sent_check()
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(token))
    csrf = page.cookies["csrftoken"].value
    response = client.post(
        url(token),
        {
            "helped": "nee",
            "rating": "2",
            "comment": "Niemand belde terug.",
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("helped:thanks", kwargs={"token": token})
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Dank u wel voor uw antwoord" in thanks.content.decode()
    assert "neemt contact met u op" in thanks.content.decode()
    assert_no_personal_data(thanks, check)
    check.refresh_from_db()
    assert check.state == CheckState.NOT_HELPED
    task = Task.objects.get(kind="geholpen-opvolgen")
    assert "Niemand belde terug." in task.note and task.team == team


def test_post_without_csrf_token_is_refused(sent_check):
    check, token = sent_check()
    response = Client(enforce_csrf_checks=True).post(url(token), {"helped": "ja"})
    assert response.status_code == 403
    check.refresh_from_db()
    assert check.state == CheckState.SENT


def test_no_choice_gives_a_dutch_error_and_writes_nothing(sent_check):
    check, token = sent_check()
    response = Client().post(url(token), {"comment": "iets"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies Ja of Nee." in html
    assert 'href="#id_helped"' in html
    assert "iets" in html  # what was typed stays
    check.refresh_from_db()
    assert check.state == CheckState.SENT and check.used_at is None


def test_too_long_comment_is_refused(sent_check):
    check, token = sent_check()
    response = Client().post(url(token), {"helped": "ja", "comment": "x" * 1001})
    assert response.status_code == 400
    assert "Schrijf hoogstens 1000 tekens" in response.content.decode()
    check.refresh_from_db()
    assert check.used_at is None


@pytest.mark.parametrize("mangle", ["signature", "payload", "garbage"])
def test_a_tampered_link_is_refused(sent_check, mangle):
    check, token = sent_check()
    value, _, signature = token.rpartition(":")
    bad = {
        "signature": f"{value}:{signature[::-1]}",
        "payload": token.replace(check.nonce[:4], "0000", 1),
        "garbage": "abc",
    }[mangle]
    for response in (Client().get(url(bad)), Client().post(url(bad), {"helped": "ja"})):
        assert response.status_code == 404
        assert "Deze link klopt niet" in response.content.decode()
        assert "Gemeente Enschede" not in response.content.decode()
    check.refresh_from_db()
    assert check.used_at is None


def test_an_expired_link_is_refused_with_the_phone_number(sent_check, team):
    check, token = sent_check()
    with time_machine.travel(check.answer_due_at + dt.timedelta(hours=13), tick=False):
        response = Client().get(url(token))
        posted = Client().post(url(token), {"helped": "ja"})
    assert response.status_code == 410 and posted.status_code == 410
    html = response.content.decode()
    assert "Deze link is verlopen" in html
    assert 'href="tel:+31534811200"' in html  # the team's number
    assert_no_personal_data(response, check)
    check.refresh_from_db()
    assert check.state == CheckState.SENT and check.used_at is None


def test_a_reused_link_is_refused_kindly(sent_check):
    check, token = sent_check()
    assert Client().post(url(token), {"helped": "ja"}).status_code == 302
    again = Client().post(url(token), {"helped": "nee", "comment": "toch niet"})
    assert again.status_code == 200
    assert "U heeft deze vraag al beantwoord. Dank u wel." in again.content.decode()
    assert "U heeft deze vraag al beantwoord" in Client().get(url(token)).content.decode()
    check.refresh_from_db()
    assert (check.state, check.comment) == (CheckState.HELPED, "")
    assert not Task.objects.exists()


def test_the_thank_you_page_before_answering_goes_back_to_the_question(sent_check):
    _check, token = sent_check()
    response = Client().get(reverse("helped:thanks", kwargs={"token": token}))
    assert response.status_code == 302 and response["Location"] == url(token)


def test_too_many_posts_from_one_address_get_429(sent_check, settings):
    settings.HELPED_CHECK_RATE_LIMIT = 3
    check, token = sent_check()
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert client.post(url(token), {"rating": "9"}).status_code == 400
    blocked = client.post(url(token), {"helped": "ja"})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Probeer het over 10 minuten opnieuw" in blocked.content.decode()
    check.refresh_from_db()
    assert check.used_at is None
    # Another address is not blocked; reading the page is never limited.
    assert Client(REMOTE_ADDR="203.0.113.10").post(url(token), {"helped": "ja"}).status_code == 302
    assert client.get(url(token)).status_code == 200


def test_the_residents_language_is_the_default_and_the_switch_wins(sent_check):
    check, token = sent_check()
    check.resident.language = "en"
    check.resident.save()
    response = Client().get(url(token))
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
    client = Client()
    client.cookies["django_language"] = "nl"
    chosen = client.get(url(token))
    assert chosen["Content-Language"] == "nl"
    assert '<html lang="nl"' in chosen.content.decode()


def test_without_a_service_the_question_is_general(sent_check):
    _check, token = sent_check(service=None)
    html = Client().get(url(token)).content.decode()
    assert "Bent u geholpen met uw vraag?" in html
    assert "over uw vraag" not in html
