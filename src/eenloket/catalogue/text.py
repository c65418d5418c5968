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

# Words that carry no meaning for routing: Dutch and English function words plus the filler of
# a question at a counter ("ik wil graag weten hoe ..."). Kept short on purpose: BM25's idf
# already discounts frequent words; this list only removes what can never point to a service.
STOP_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "maar",
        "want",
        "dus",
        "als",
        "dan",
        "die",
        "dat",
        "deze",
        "dit",
        "wat",
        "wie",
        "waar",
        "wanneer",
        "hoe",
        "waarom",
        "ik",
        "je",
        "jij",
        "u",
        "hij",
        "zij",
        "ze",
        "wij",
        "we",
        "jullie",
        "mij",
        "me",
        "mijn",
        "jouw",
        "uw",
        "zijn",
        "haar",
        "hun",
        "ons",
        "onze",
        "mn",
        "m'n",
        "is",
        "ben",
        "bent",
        "was",
        "waren",
        "wordt",
        "worden",
        "werd",
        "word",
        "heb",
        "hebt",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "kan",
        "kun",
        "kunt",
        "kunnen",
        "kon",
        "zou",
        "zouden",
        "moet",
        "moeten",
        "mag",
        "mogen",
        "wil",
        "wilt",
        "willen",
        "ga",
        "gaat",
        "gaan",
        "doe",
        "doet",
        "doen",
        "te",
        "van",
        "in",
        "op",
        "aan",
        "met",
        "voor",
        "bij",
        "naar",
        "om",
        "over",
        "uit",
        "tot",
        "door",
        "tegen",
        "zonder",
        "onder",
        "na",
        "tussen",
        "niet",
        "geen",
        "wel",
        "nog",
        "al",
        "ook",
        "er",
        "hier",
        "daar",
        "zo",
        "toch",
        "even",
        "graag",
        "alstublieft",
        "aub",
        "svp",
        "nu",
        "dan",
        "meer",
        "heel",
        "erg",
        "veel",
        "weet",
        "weten",
        "vraag",
        "vragen",
        "vraagje",
        "hallo",
        "goedemorgen",
        "goedemiddag",
        "dag",
        "beste",
        "iets",
        "alles",
        "niets",
        "iemand",
        "moet",
        "eigenlijk",
        "misschien",
        "gewoon",
        "echt",
        "sinds",
        "toen",
        "omdat",
        "terwijl",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "so",
        "if",
        "then",
        "that",
        "this",
        "these",
        "those",
        "what",
        "who",
        "where",
        "when",
        "how",
        "why",
        "which",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "me",
        "my",
        "your",
        "his",
        "her",
        "its",
        "our",
        "their",
        "mine",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "is",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "about",
        "into",
        "over",
        "after",
        "before",
        "under",
        "not",
        "no",
        "yes",
        "please",
        "hello",
        "hi",
        "help",
        "want",
        "need",
        "get",
        "got",
        "know",
    ]
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


def content_words(text: str) -> list[str]:
    """Words that can point to a service: no stop words, no single letters, no numbers below
    1000 (ages, amounts and dates say little about who can help; '14070' or '112' may)."""
    return [
        w
        for w in words(text)
        if w not in STOP_WORDS and len(w) > 1 and not (w.isdigit() and len(w) < 3)
    ]


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
