"""The routing engine's contract: ranking, reasons, Dutch/English/typos/compounds/synonyms,
stories with several problems, municipal services and texts, learning from outcomes, and bad
input. Small catalogues are built with factories; quality is checked on the real catalogue."""

import pytest
from django.core.exceptions import ValidationError

from eenloket.catalogue import engine, selectors
from eenloket.catalogue.engine import Engine
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.catalogue.services import learning_terms, save_override
from eenloket.contacts.models import Channel, Outcome
from eenloket.contacts.services import register_contact

from .factories import ServiceFactory

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


def _confirm(user, organisation, service, question, outcome=Outcome.ANSWERED):
    return register_contact(
        user=user,
        organisation=organisation,
        channel=Channel.PHONE,
        question=question,
        outcome=outcome,
        service=service,
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
    assert "in deze gemeente" in here[0].reason
    elsewhere = selectors.suggest(question, tenant=maastricht)
    assert first(elsewhere) == debt.code  # learned nationally, weaker
    assert elsewhere[0].learned_local == 0 and elsewhere[0].learned_national == 4
    assert elsewhere[0].score < here[0].score
    assert "landelijk" in elsewhere[0].reason


def test_only_confirming_outcomes_teach_and_each_contact_counts_once(
    small_catalogue, enschede, counter_enschede
):
    debt = ServiceFactory(name="Hulp bij schulden", description="Gratis hulp bij schulden.")
    _confirm(counter_enschede, enschede, debt, "krap bij kas", outcome=Outcome.CALLBACK)
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


# ---- quality on the real catalogue ---------------------------------------------------------


def test_routing_quality_on_the_labelled_questions_does_not_regress(catalogue):
    """The evaluation set (`catalogue/evaluation/questions.yaml`, see `evaluate_routing`):
    guards against regressions a little below the figures reported in the issue note."""
    from eenloket.catalogue.routing_eval import evaluate, load_questions

    scores = evaluate(load_questions())
    dev, heldout = scores["dev"]["all"], scores["heldout"]["all"]
    assert dev.total >= 150 and heldout.total >= 100
    assert dev.pct(dev.top1) >= 90 and dev.pct(dev.top3) >= 95
    assert heldout.pct(heldout.top1) >= 85 and heldout.pct(heldout.top3) >= 92


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
