"""Text analysis for the routing engine: normalise, split, drop stop words, stem (Snowball Dutch
via PyStemmer) and split Dutch compound words ("huurtoeslagaanvraag" → huurtoeslag + aanvraag).

The same analyser runs over the catalogue and over a resident's question, so both meet in one
vocabulary of stems."""

import re
import unicodedata
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("dutch")
_WORD = re.compile(r"[a-z0-9]+")


def _word_set(*groups: str) -> frozenset:
    return frozenset(w for group in groups for w in group.split())


# Two kinds of words carry no service meaning on their own. Both are dropped from the index, from
# a question's search terms and from what the engine learns from outcomes, so the same words are
# left on both sides; they differ in what happens inside a phrase.
#
# STOP_WORDS are skipped everywhere, also inside phrases: "krap bij de kas" and "krap bij kas"
# are the same phrase. Function words, the auxiliary and modal verbs, fillers and politeness of a
# question at the counter ("mevrouw wil graag weten hoe ...").
STOP_WORDS = _word_set(
    # articles, pronouns, possessives, determiners
    """de het een ik je jij u hij zij ze wij we jullie mij me hem hen jou zich zichzelf men mijn
    mn jouw uw zijn haar hun ons onze die dat deze dit wat wie welk welke elk elke ieder iedere
    alle allemaal allebei beide sommige enkele zulke zon zoiets iets alles niemand iemand paar""",
    # auxiliary and modal verbs, in all their forms
    """is ben bent was waren geweest heb hebt heeft hebben had hadden gehad kan kun kunt kunnen
    kon konden zal zult zullen zou zouden moet moeten moest moesten mag mogen mocht mochten wil
    wilt willen wou wilde wilden hoef hoeft hoeven hoefde ga gaat gaan ging gingen gegaan""",
    # prepositions, conjunctions, question words
    """te van in op aan met mee voor bij naar om over uit tot door tegen zonder onder na tussen
    vanaf via per tijdens volgens zoals wegens vanwege ondanks sinds en of maar want dus als dan
    omdat terwijl toen zodat hoewel tenzij totdat nadat voordat alsof indien waar wanneer hoe
    waarom hoeveel hoelang hoezo waarvoor waarmee waarover waarop waaraan waarin""",
    # adverbs and fillers
    """er hier daar ergens nergens overal erbij ermee erover ervoor erin eraan daarom daarvoor
    daarmee daarover daarna daarbij daarin hiervoor hiermee hierover hierbij wel nog al ook zo
    toch even graag nu meer heel erg veel echt gewoon eigenlijk misschien zelfs weer alweer steeds
    ineens opeens zomaar nou precies ongeveer inmiddels ondertussen intussen eerst altijd soms
    meestal nogal helemaal natuurlijk blijkbaar waarschijnlijk zeker best beetje binnenkort straks vandaag gisteren laatst onlangs vorige vorig volgende""",
    # numbers, amounts and dates: they say little about who can help
    """twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig
    honderd duizend euro keer januari februari maart april mei juni juli augustus september
    oktober november december maandag dinsdag woensdag donderdag vrijdag zaterdag zondag""",
    # the talk around a question: asking, telling, greeting
    """vraag vragen vraagje vraagt vroeg gevraagd weet weten wist geweten zeg zegt zeggen zei
    gezegd vertel vertelt vertellen verteld denk denkt denken dacht gedacht hoop hoopt klopt
    kloppen gebeurt gebeuren gebeurd probeer probeert proberen geprobeerd bel belt bellen gebeld
    help helpt helpen geholpen hallo goedemorgen goedemiddag goedenavond dag beste groet groeten
    dank bedankt alstublieft aub svp sorry ja nee oke ok mevrouw meneer mevr dhr""",
    # the same talk in a formal letter: "hierbij verzoek ik u ... inzake ... ten onrechte"
    """hierbij ondergetekende verzoek verzoeken verzoekt verzocht wens wenst wensen gelieve
    inzake betreffende aangaande middels teneinde alsmede tevens ten ter onrechte""",
    # English
    """the a an and or but so if then that this these those what who where when how why which i
    you he she it we they me my your his her its our their mine am are was were be been is do
    does did have has had can could would should will shall may might must to of in on at for
    with from by about into over after before under yes please hello hi help want need get got
    know just really very also there here now""",
)

# PHRASE_WORDS say something only together with the words around them: "kwijt" in "paspoort
# kwijt", "zit" in "zit krap", "niet" in "kom niet rond" or "geen werk meer". Alone they are no
# search term (so "kwijt" does not lead to the WW and "zit" not to a Huurcommissie "zitting"),
# but they stay in place for matching phrases: the synonym "baan kwijt" still finds "mijn baan
# ben ik kwijt", and "geen werk meer" does not shrink to "werk". Negations belong here, not in
# STOP_WORDS, for that reason.
NEGATIONS = _word_set("niet geen niets niks nooit not no nothing never")
PHRASE_WORDS = NEGATIONS | _word_set(
    # common verbs of a question at the counter, in their usual forms; "worden" and "doen" as
    # in "zoon is 18 geworden", "nederlander worden", "aangifte doen"
    """zit zitten zat zaten gezeten kwijt kwijtgeraakt krijg krijgt krijgen kreeg kregen gekregen
    kom komt komen kwam kwamen gekomen sta staat staan stond stonden gestaan lig ligt liggen lag
    lagen maak maakt maken maakte gemaakt geef geeft geven gaf gegeven laat laten liet lukt lukken
    lukte gelukt zoek zoekt zoeken zocht gezocht zie ziet zien zag gezien blijf blijft blijven
    bleef word wordt worden werd werden geworden doe doet doen deed deden gedaan""",
    # words of degree, place and time that only qualify another word
    """nodig weg terug zelf alleen net nieuw nieuwe goed goede lang lange kort weinig hoog hoge
    duur achter boven binnen later morgen vaak ander andere anders afgelopen eens dagen week weken
    maand maanden jaar jaren""",
    # English
    "lost new",
)

# Linking sounds between the parts of a Dutch compound: werkloosheid-s-uitkering, kinder-en-...
_LINKS = ("", "s", "en", "e")
MIN_PART = 4


def normalise(text: str) -> str:
    """Lower case without accents: 'Één' → 'een', 'coördinatie' → 'coordinatie'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of a text, normalised, in order, stop words included."""
    return _WORD.findall(normalise(text).replace("'", ""))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def is_phrase_word(word: str) -> bool:
    return word in PHRASE_WORDS


def _is_content(word: str) -> bool:
    return (
        word not in STOP_WORDS
        and word not in PHRASE_WORDS
        and len(word) > 1
        and not (word.isdigit() and len(word) < 3)
    )


def content_words(text: str) -> list[str]:
    """Words that can point to a service: no stop or phrase words, no single letters, no numbers
    below 100 (ages, amounts and dates say little about who can help; '14070' or '112' may)."""
    return [w for w in words(text) if _is_content(w)]


def in_phrases(word: str) -> bool:
    """A content word or a phrase word: what phrases are matched on."""
    return word in PHRASE_WORDS or _is_content(word)


def phrase_words(text: str) -> list[str]:
    """The content words and the phrase words, in order."""
    return [w for w in words(text) if in_phrases(w)]


def phrase_pairs(words: list[str], stems: list[str]) -> list[tuple[int, str]]:
    """Each phrase word joined with the content word right before and after it, as one token
    with the position of its first word: "paspoort kwijt" → [(0, "paspoort kwijt")]. `words`
    come from `phrase_words`, `stems` are their stems. Not for negations: "niet betalen" is in
    too many texts to tell services apart. A stem has no space, so a pair never clashes with a
    word."""
    pairs = []
    for i, word in enumerate(words):
        if word not in PHRASE_WORDS or word in NEGATIONS:
            continue
        if i > 0 and words[i - 1] not in PHRASE_WORDS:
            pairs.append((i - 1, f"{stems[i - 1]} {stems[i]}"))
        if i + 1 < len(words) and words[i + 1] not in PHRASE_WORDS:
            pairs.append((i, f"{stems[i]} {stems[i + 1]}"))
    return pairs


def split_compound(word: str, vocabulary) -> list[str] | None:
    """Split a compound into two or three known words, longest head first. `vocabulary` holds
    the surface words of the catalogue. Returns None when no split into known words exists."""
    if len(word) < 2 * MIN_PART + 1:
        return None
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, rest = word[:cut], word[cut:]
        if head not in vocabulary:
            continue
        for link in _LINKS:
            if not rest.startswith(link):
                continue
            tail = rest[len(link) :]
            if len(tail) < MIN_PART:
                continue
            if tail in vocabulary:
                return [head, tail]
            deeper = split_compound(tail, vocabulary) if len(tail) >= 2 * MIN_PART + 1 else None
            if deeper and len(deeper) == 2:
                return [head, *deeper]
    return None


def known_part(word: str, vocabulary, min_length: int = 4) -> str | None:
    """The longest known word at the start or the end of an unknown compound:
    'huurtoeslagformulier' → 'huurtoeslag'. None when no part of at least `min_length` is known."""
    best = None
    for cut in range(len(word) - MIN_PART, min_length - 1, -1):
        head = word[:cut]
        if head in vocabulary:
            best = head
            break
    for cut in range(MIN_PART, len(word) - min_length + 1):
        tail = word[cut:]
        if tail in vocabulary:
            if best is None or len(tail) > len(best):
                best = tail
            break
    return best
