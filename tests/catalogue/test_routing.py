"""The routing engine's contract: ranking, reasons, Dutch/English/typos/compounds/synonyms,
stories with several problems, municipal services and texts, learning from outcomes, and bad
input. Small catalogues are built with factories; quality is checked on the real catalogue."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from eenloket.catalogue import engine, selectors, text
from eenloket.catalogue.engine import Engine
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.catalogue.services import learning_terms, save_override
from eenloket.contacts.models import Channel, Outcome
from eenloket.contacts.services import register_contact

from ..factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_catalogue(db):
    return {
        "ww": ServiceFactory(
            organisation_type="uwv",
            name="WW-uitkering aanvragen",
            description="Geld als u uw baan kwijt bent.",
            keywords=["werkloos", "ontslagen", "ww"],
            english=["unemployment benefit"],
        ),
        "ziektewet": ServiceFactory(
            organisation_type="uwv",
            name="Ziektewet-uitkering",
            description="Geld als u ziek bent en geen werkgever heeft.",
            keywords=["ziek", "ziektewet"],
        ),
        "wia": ServiceFactory(
            organisation_type="uwv",
            name="WIA-uitkering",
            description="Na twee jaar ziekte een uitkering.",
            keywords=["arbeidsongeschikt", "wia"],
        ),
        "aow": ServiceFactory(
            organisation_type="svb",
            name="AOW aanvragen",
            description="Het basispensioen van de overheid.",
            keywords=["aow", "pensioen", "ouderdom"],
            english=["state pension"],
        ),
        "paspoort": ServiceFactory(
            organisation_type="gemeente",
            name="Paspoort",
            description="Een paspoort aanvragen of verlengen bij de gemeente.",
            keywords=["paspoort", "reisdocument"],
            english=["passport"],
        ),
        "huurtoeslag": ServiceFactory(
            organisation_type="toeslagen",
            name="Huurtoeslag",
            description="Een bijdrage in de huur als uw inkomen laag is.",
            keywords=["huurtoeslag", "huur", "toeslag"],
            english=["rent benefit"],
        ),
        "boete": ServiceFactory(
            organisation_type="cjib",
            name="Verkeersboete betalen",
            description="Een boete betalen of een betalingsregeling vragen.",
            keywords=["boete", "verkeersboete", "cjib"],
        ),
    }


def first(results):
    return results[0].service["code"] if results else None


def codes(results):
    return [r.service["code"] for r in results]


def test_the_service_whose_words_match_comes_first_with_the_reason(small_catalogue):
    results = selectors.suggest("ik ben werkloos, wat nu?")
    assert first(results) == small_catalogue["ww"].code
    top = results[0]
    assert top.organisation == "uwv"
    assert "werkloos" in top.matched_terms
    assert "werkloos" in top.reason
    assert top.score > 0
    # Diversification may lift another organisation's service; the first is still the best.
    assert top.score == max(r.score for r in results)


def test_a_typo_is_corrected_and_the_reason_says_so(small_catalogue):
    results = selectors.suggest("paspoord verlopen")
    assert first(results) == small_catalogue["paspoort"].code
    assert "paspoord → paspoort" in results[0].matched_terms


def test_a_compound_the_catalogue_does_not_know_is_split(small_catalogue):
    results = selectors.suggest("huurtoeslagformulier")
    assert first(results) == small_catalogue["huurtoeslag"].code


def test_english_words_find_the_dutch_service(small_catalogue):
    assert first(selectors.suggest("I need a new passport")) == small_catalogue["paspoort"].code
    assert first(selectors.suggest("state pension")) == small_catalogue["aow"].code


def test_synonyms_expand_a_colloquial_word(small_catalogue):
    services = list(Service.objects.order_by("id"))
    without = Engine(services, [], [])
    with_synonyms = Engine(services, [], [("stufi", "studiefinanciering"), ("bekeuring", "boete")])
    assert without.suggest("bekeuring") == []
    results = with_synonyms.suggest("bekeuring")
    assert first(results) == small_catalogue["boete"].code
    assert "bekeuring ≈ boete" in results[0].matched_terms


def test_each_problem_of_a_story_gets_its_organisation_in_the_top_three(small_catalogue):
    results = selectors.suggest(
        "ik ben ontslagen en ziek geworden, werkloos en arbeidsongeschikt, "
        "en mijn huurtoeslag is gestopt"
    )
    organisations = [r.organisation for r in results[:3]]
    assert "uwv" in organisations
    assert "toeslagen" in organisations


def test_very_short_queries_work(small_catalogue):
    assert first(selectors.suggest("aow")) == small_catalogue["aow"].code
    assert first(selectors.suggest("ww")) == small_catalogue["ww"].code


def test_the_limit_is_respected(small_catalogue):
    assert len(selectors.suggest("uitkering ziek werkloos aow", limit=2)) == 2


@pytest.mark.parametrize("question", ["12345", "!!! ???", "🙂🙂", "de het een", "xq"])
def test_text_without_meaningful_words_gives_no_suggestions(small_catalogue, question):
    assert selectors.suggest(question) == []


@pytest.mark.parametrize(
    ("question", "limit", "field"),
    [
        ("", 5, "q"),
        ("   \n\t ", 5, "q"),
        (None, 5, "q"),
        (12345, 5, "q"),
        (["aow"], 5, "q"),
        ("aow\x00", 5, "q"),
        ("a" * (engine.MAX_QUERY_CHARS + 1), 5, "q"),
        ("aow", 0, "limit"),
        ("aow", 21, "limit"),
        ("aow", "vijf", "limit"),
        ("aow", None, "limit"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(small_catalogue, question, limit, field):
    with pytest.raises(ValidationError) as caught:
        selectors.suggest(question, limit=limit)
    assert field in caught.value.message_dict
    assert all(m.strip() for m in caught.value.message_dict[field])


def test_a_long_story_at_the_limit_is_still_routed(small_catalogue):
    story = ("Ik weet niet goed waar ik moet beginnen. " * 45)[:1900] + " mijn aow is te laat"
    assert len(story) <= engine.MAX_QUERY_CHARS
    assert first(selectors.suggest(story)) == small_catalogue["aow"].code


def test_a_municipality_sees_its_own_services_and_others_do_not(
    small_catalogue, enschede, maastricht
):
    own = ServiceFactory(
        tenant=enschede,
        name="Meedoenpas",
        description="Korting op sport en cultuur.",
        keywords=["sportclub", "meedoen"],
    )
    assert first(selectors.suggest("sportclub", tenant=enschede)) == own.code
    assert selectors.suggest("sportclub", tenant=maastricht) == []
    assert selectors.suggest("sportclub") == []


def test_a_municipality_override_replaces_the_text_only_there(
    small_catalogue, enschede, maastricht, catalogue_manager_enschede
):
    passport = small_catalogue["paspoort"]
    save_override(
        user=catalogue_manager_enschede,
        tenant=enschede,
        service=passport,
        description="In Enschede haalt u uw paspoort op bij het Stadhuis, zonder afspraak.",
        keywords="stadhuis ophalen",
    )
    here = selectors.suggest("paspoort ophalen stadhuis", tenant=enschede)
    assert first(here) == passport.code
    assert "Stadhuis" in here[0].service["description"]
    there = selectors.suggest("paspoort", tenant=maastricht)
    assert there[0].service["description"] == passport.description


def test_a_generic_municipal_service_can_be_switched_off_by_one_municipality(
    small_catalogue, enschede, maastricht, catalogue_manager_enschede
):
    passport = small_catalogue["paspoort"]
    save_override(
        user=catalogue_manager_enschede, tenant=enschede, service=passport, is_offered=False
    )
    assert passport.code not in codes(selectors.suggest("paspoort", tenant=enschede))
    assert first(selectors.suggest("paspoort", tenant=maastricht)) == passport.code


# ---- learning ----------------------------------------------------------------------------


def _confirm(user, organisation, service, question, outcome=Outcome.ANSWERED, **extra):
    return register_contact(
        user=user,
        organisation=organisation,
        channel=Channel.PHONE,
        question=question,
        outcome=outcome,
        service=service,
        **extra,
    )


def test_outcomes_lift_the_service_that_helped_first_locally_then_nationally(
    small_catalogue, enschede, maastricht, counter_enschede
):
    question = "ik zit krap bij kas"
    debt = ServiceFactory(name="Hulp bij schulden", description="Gratis hulp als u schulden heeft.")
    assert debt.code not in codes(selectors.suggest(question, tenant=enschede))

    for _ in range(4):
        _confirm(counter_enschede, enschede, debt, "Mevrouw zit krap bij kas deze maand")

    here = selectors.suggest(question, tenant=enschede)
    assert first(here) == debt.code
    assert here[0].learned_local == 4
    assert "Eerder gekozen bij zulke vragen in Enschede (4 keer)" in here[0].reason
    elsewhere = selectors.suggest(question, tenant=maastricht)
    assert first(elsewhere) == debt.code  # learned nationally, weaker
    assert elsewhere[0].learned_local == 0 and elsewhere[0].learned_national == 4
    assert elsewhere[0].score < here[0].score
    assert "Eerder gekozen bij zulke vragen elders in het land (4 keer)" in elsewhere[0].reason


def test_only_confirming_outcomes_teach_and_each_contact_counts_once(
    small_catalogue, enschede, counter_enschede
):
    debt = ServiceFactory(name="Hulp bij schulden", description="Gratis hulp bij schulden.")
    # A callback request comes with who calls back (a task in the work list).
    callback = {"team": counter_enschede.memberships.get().team, "phone": "0612345678"}
    _confirm(
        counter_enschede,
        enschede,
        debt,
        "krap bij kas",
        outcome=Outcome.CALLBACK,
        callback=callback,
    )
    _confirm(counter_enschede, enschede, debt, "krap bij kas", outcome=Outcome.NOT_REACHED)
    assert RoutingOutcome.objects.count() == 0
    assert debt.code not in codes(selectors.suggest("krap bij kas", tenant=enschede))


def test_learning_keeps_no_numbers_and_not_the_question(small_catalogue):
    terms = learning_terms("BSN 999990007, bel 0612345678: mevrouw zit krap bij kas")
    assert "999990007" not in terms and "0612345678" not in terms
    assert "krap" in terms.split() and "kas" in terms.split()


def test_a_good_text_match_is_not_pushed_aside_by_one_shared_common_word(
    small_catalogue, enschede, counter_enschede
):
    boete = small_catalogue["boete"]
    for _ in range(10):
        _confirm(counter_enschede, enschede, boete, "ik kan de boete niet betalen")
    results = selectors.suggest("huur betalen huurtoeslag", tenant=enschede)
    assert first(results) == small_catalogue["huurtoeslag"].code


def test_the_engine_sees_catalogue_changes_without_a_restart(small_catalogue):
    assert first(selectors.suggest("paspoort")) == small_catalogue["paspoort"].code  # warm
    dog = ServiceFactory(
        name="Hondenbelasting", description="Belasting voor een hond.", keywords=["hond"]
    )
    assert first(selectors.suggest("hondenbelasting")) == dog.code
    Service.objects.filter(pk=dog.pk).update(is_active=False)
    Service.objects.filter(pk=dog.pk).first().save()  # touches updated_at like the admin does
    assert dog.code not in codes(selectors.suggest("hondenbelasting"))


# ---- filler words, phrases and the reason shown to staff ----------------------------------


@pytest.mark.parametrize("word", ["zit", "zitten", "kwijt", "krijg", "heb", "wil", "moet"])
def test_a_filler_word_is_no_search_term_in_question_index_or_learning(word):
    assert text.content_words(f"paspoort {word}") == ["paspoort"]
    assert learning_terms(f"paspoort {word}") == "paspoort"


def test_stop_words_and_phrase_words_are_separate_lists():
    assert not text.STOP_WORDS & text.PHRASE_WORDS
    # Phrase words stay in place for matching phrases; stop words do not.
    assert text.phrase_words("ik zit krap bij de kas") == ["zit", "krap", "kas"]
    assert text.phrase_words("mijn paspoort ben ik kwijt") == ["paspoort", "kwijt"]


def test_a_filler_word_alone_does_not_make_a_match(small_catalogue):
    hearing = ServiceFactory(
        organisation_type="huurcommissie",
        name="Een zaak bij de Huurcommissie: kosten en zitting",
        description="Tijdens de zitting hoort de Huurcommissie huurder en verhuurder.",
        keywords=["zitting", "huurgeschil"],
    )
    assert first(selectors.suggest("zitting huurcommissie")) == hearing.code  # the real word
    assert selectors.suggest("zit") == []  # Snowball stems "zitting" to "zit" too
    assert selectors.suggest("kwijt") == []
    assert hearing.code not in codes(selectors.suggest("ik zit krap bij kas"))


def test_kwijt_learned_from_lost_jobs_does_not_send_a_lost_passport_to_the_ww(
    small_catalogue, enschede, counter_enschede
):
    ww = small_catalogue["ww"]
    for _ in range(20):
        _confirm(counter_enschede, enschede, ww, "Ik ben mijn baan kwijt, hoe vraag ik WW aan?")
    results = selectors.suggest("paspoort kwijt", tenant=enschede)
    assert first(results) == small_catalogue["paspoort"].code
    assert ww.code not in codes(results)
    # What the counter learned still helps where it belongs.
    assert first(selectors.suggest("baan kwijt", tenant=enschede)) == ww.code


def test_a_synonym_phrase_with_filler_words_still_matches_as_a_phrase(small_catalogue):
    services = list(Service.objects.order_by("id"))
    groups = [
        ("baan kwijt", "werkloos"),
        ("geen werk meer", "ontslagen"),
        ("krap bij kas", "ouderdom"),  # a deliberately odd pair, to see the phrase at work
    ]
    routing = Engine(services, [], groups)
    ww = small_catalogue["ww"].code
    assert first(routing.suggest("mijn baan ben ik helemaal kwijt")) == ww
    assert first(routing.suggest("ik heb geen werk meer")) == ww
    assert first(routing.suggest("ik zit erg krap bij de kas")) == small_catalogue["aow"].code
    # The phrase does not shrink to its one content word: "werk" alone is not "geen werk meer",
    # "baan" alone is not "baan kwijt".
    for question in ("werk", "een baan als chauffeur"):
        clauses, _raw, _stems = routing.analyse(question)
        assert not [t for terms in clauses for t in terms.values() if t.kind == "synonym"]
    # "geen" binds to the word right after it: no toeslag any more is no "geen werk meer".
    for question in ("ik krijg geen huurtoeslag meer sinds ik werk", "geen werk meer"):
        clauses, _raw, _stems = routing.analyse(question)
        synonyms = [t for terms in clauses for t in terms.values() if t.kind == "synonym"]
        assert bool(synonyms) == (question == "geen werk meer"), question


def _no_jargon(reason):
    assert reason
    for sign in ("≈", "×", "→", "~", ";"):
        assert sign not in reason, reason
    assert "Past bij" in reason or "Eerder gekozen" in reason


def test_the_reason_is_plain_dutch_for_each_kind_of_match(
    small_catalogue, enschede, maastricht, counter_enschede
):
    services = list(Service.objects.order_by("id"))
    routing = Engine(services, [], [("bekeuring", "boete"), ("krap bij kas", "ouderdom")])
    reasons = {
        "exact": routing.suggest("aow")[0].reason,
        "typo": routing.suggest("paspoord verlopen")[0].reason,
        "synonym": routing.suggest("bekeuring")[0].reason,
        "phrase": routing.suggest("ik zit krap bij kas")[0].reason,
        "compound": routing.suggest("huurtoeslagformulier")[0].reason,
    }
    for reason in reasons.values():
        _no_jargon(reason)
    assert reasons["exact"] == "Past bij: aow."
    assert "paspoort (u typte: paspoord)" in reasons["typo"]
    assert reasons["synonym"] == "Past bij: boete (u typte: bekeuring)."
    assert reasons["phrase"] == "Past bij: ouderdom (u typte: krap bij kas)."
    assert reasons["compound"] == "Past bij: huurtoeslag (u typte: huurtoeslagformulier)."
    # The machine-readable part is unchanged.
    assert "bekeuring ≈ boete" in routing.suggest("bekeuring")[0].matched_terms

    debt = ServiceFactory(name="Hulp bij schulden", description="Gratis hulp bij schulden.")
    for _ in range(54):
        _confirm(counter_enschede, enschede, debt, "krap bij kas")
    here = selectors.suggest("krap bij kas", tenant=enschede)[0]
    assert here.service["code"] == debt.code
    assert here.reason == "Eerder gekozen bij zulke vragen in Enschede (54 keer)."
    elsewhere = selectors.suggest("krap bij kas", tenant=maastricht)[0]
    assert elsewhere.reason == "Eerder gekozen bij zulke vragen elders in het land (54 keer)."
    nationally = selectors.suggest("krap bij kas")[0]
    assert nationally.reason == "Eerder gekozen bij zulke vragen in het hele land (54 keer)."


def test_the_reason_goes_through_gettext(small_catalogue, monkeypatch):
    seen = []

    def fake_gettext(message):
        seen.append(message)
        return message.replace("Past bij", "Matches").replace("u typte", "you typed")

    monkeypatch.setattr(engine, "_", fake_gettext)
    with translation.override("en"):
        reason = selectors.suggest("paspoord")[0].reason
    assert reason == "Matches: paspoort (you typed: paspoord)."
    assert "%(word)s (u typte: %(typed)s)" in seen and "Past bij: %(words)s" in seen


def test_the_api_gives_the_plain_reason_and_keeps_the_matched_terms(
    small_catalogue, counter_enschede, api_as
):
    response = api_as(counter_enschede).get("/api/v1/routing/suggest", {"q": "paspoord"})
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["reason"] == "Past bij: paspoort (u typte: paspoord)."
    assert result["matched_terms"][0] == "paspoord → paspoort"


# ---- quality on the real catalogue ---------------------------------------------------------


def test_routing_quality_on_the_labelled_questions_does_not_regress(catalogue):
    """The evaluation set (`catalogue/evaluation/questions.yaml`, see `evaluate_routing`):
    guards against regressions a little below the figures reported in the issue note."""
    from eenloket.catalogue.routing_eval import evaluate, load_questions

    scores = evaluate(load_questions())
    dev, heldout = scores["dev"]["all"], scores["heldout"]["all"]
    # Figures only: a failing assertion must not print the held-out questions.
    figures = [round(s.pct(v), 1) for s in (dev, heldout) for v in (s.top1, s.top3)]
    assert dev.total >= 150 and heldout.total >= 100
    assert figures[0] >= 90 and figures[1] >= 95, figures[:2]
    assert figures[2] >= 85 and figures[3] >= 92, figures


def test_a_lost_passport_goes_to_the_municipality_not_the_ww(catalogue, enschede, counter_enschede):
    """Issue 8: "kwijt" matched the WW; in the demo 54 contacts about a lost job had taught it."""
    ww = Service.objects.get(code="upl-ww-uitkering")
    for _ in range(54):
        _confirm(counter_enschede, enschede, ww, "Ik ben mijn baan kwijt, hoe vraag ik WW aan?")
    reasons = []
    for tenant in (enschede, None):
        for question in ("paspoort kwijt", "ik ben mijn paspoort kwijt"):
            results = selectors.suggest(question, tenant=tenant)
            assert results[0].organisation == "gemeente"
            assert "paspoort" in results[0].service["name"].lower()
            assert "uwv" not in {r.organisation for r in results[:3]}
            reasons.append(results[0].reason)
    for reason in reasons:
        _no_jargon(reason)
    lost_job = selectors.suggest("ik ben mijn baan kwijt", tenant=enschede)[0]
    assert lost_job.service["code"] == ww.code


def test_being_short_of_money_is_not_a_case_for_the_huurcommissie(catalogue):
    """Issue 8: "zit" matched the Huurcommissie's "zitting"."""
    for question in ("ik zit krap bij kas", "Mevrouw zit krap bij kas deze maand"):
        results = selectors.suggest(question)
        assert "huurcommissie" not in {r.organisation for r in results[:3]}
        assert results[0].organisation in {"gemeente", "sociaal-raadslieden"}
        assert "geld" in results[0].service["name"].lower()
        assert "krap bij kas" in results[0].reason


@pytest.mark.parametrize(
    ("question", "organisations"),
    [
        ("aow aanvragen", {"svb"}),
        ("ik ben mijn baan kwijt en mijn huurtoeslag is gestopt", {"uwv", "toeslagen"}),
        ("paspoord verlopen", {"gemeente"}),
        ("I got a speeding ticket", {"cjib"}),
        ("verklaring omtrent gedrag", {"justis"}),
    ],
)
def test_examples_from_the_issue_on_the_real_catalogue(catalogue, question, organisations):
    results = selectors.suggest(question)
    assert organisations <= {r.organisation for r in results[:3]}
    assert results[0].organisation in organisations
