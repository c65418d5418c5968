"""The routing engine: which services (of which organisations) can help with a free-text question.

Retrieval, not rules per question:
- BM25 over the catalogue, fields weighted (name > keywords > English words > description),
  on Snowball-stemmed Dutch with compound splitting on both sides (`text.py`);
- stop words ("ik", "wil", "heb") are dropped on both sides; phrase words ("kwijt", "zit",
  "niet") are no search term either, but count inside a phrase: a synonym ("baan kwijt",
  "geen werk meer") or a pair with the word next to it ("paspoort kwijt");
- query expansion with the synonym groups of `data/synonyms.yaml` (lower weight);
- fuzzy matching (rapidfuzz, Levenshtein ≤ 1 or 2) for words the catalogue does not know;
- a story with several problems is split into clauses; the best service of every clause is
  kept near the top next to the best overall, and organisations are diversified;
- learning from outcomes: confirmed "this service helped" signals (contacts, referrals) are
  counted per term and service, per municipality and nationally, and added to the score.

The index lives in memory per process (a few MB for ~800 services). `get_engine()` rebuilds it
when the catalogue changed and reads new outcomes incrementally; both checks are throttled to
once per `ROUTING_REFRESH_SECONDS`."""

import math
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from eenloket.organisations.models import OrganisationType

from . import data, text
from .models import RoutingOutcome, Service, ServiceOverride

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"name": 3.0, "keywords": 2.0, "english": 1.5, "description": 1.0, "org": 1.0}
PART_WEIGHT = 0.5  # a compound's parts count half in the document
QUERY_PART_WEIGHT = 0.9  # an unknown compound in the question, split into known words
FUZZY_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.5
# Phrase words (text.PHRASE_WORDS: "kwijt", "zit", "niet") are no search term on their own.
PAIR_WEIGHT = 0.3  # ... but count with the word next to them: "paspoort kwijt", "pas kwijt"
PHRASE_SLOP = 2  # other words allowed inside a synonym member that has a phrase word
# Learning: score += LEARN_WEIGHT * max(best score, LEARN_FLOOR) * coverage^1.5; coverage is
# the idf-weighted share of the question's words that led to the service before, with
# P(service | word) from outcomes in this municipality (full) and nationally (0.7).
LEARN_WEIGHT = 1.0
LEARN_FLOOR = 8.0
LEARN_SMOOTHING = 2.0
LEARN_NATIONAL_SHARE = 0.7
LEARN_EXPONENT = 1.5
LEARN_MIN_IDF = 1.0
MAX_OUTCOMES_IN_MEMORY = 500_000
SAME_ORGANISATION_PENALTY = 0.35  # second and later services of one organisation
COVERAGE_EXPONENT = 1.0
CLAUSE_MIN_SHARE = 0.1
# A question that names an agency ("brief van het CJIB") leans towards that agency's services.
# Not for "gemeente": residents say "via de gemeente" about almost anything.
ORGANISATION_MENTION_BOOST = 0.3
ORGANISATION_ALIASES = {
    "uwv": ["uwv"],
    "svb": ["svb", "sociale verzekeringsbank"],
    "cak": ["cak"],
    "duo": ["duo", "dienst uitvoering onderwijs"],
    "belastingdienst": ["belastingdienst", "belasting dienst", "fiscus"],
    "toeslagen": ["dienst toeslagen", "toeslagen"],
    "cjib": ["cjib", "centraal justitieel incassobureau"],
    "juridisch-loket": ["juridisch loket", "juridische loket"],
    "waterschap": ["waterschap", "hoogheemraadschap"],
    "rdw": ["rdw"],
    "cbr": ["cbr"],
    "ind": ["ind", "immigratie naturalisatiedienst"],
    "justis": ["justis"],
    "huurcommissie": ["huurcommissie"],
    "politie": ["politie"],
    "kvk": ["kvk", "kamer van koophandel"],
    "ciz": ["ciz"],
    "sociaal-raadslieden": ["sociaal raadslieden", "sociaal raadsman", "sociaal raadsvrouw"],
}
MIN_RELATIVE_SCORE = 0.12  # drop results below this share of the best score
_CLAUSE = re.compile(
    r"[.;!?\n]+|,|\b(?:en|maar|ook|daarnaast|bovendien|verder|plus|and|also|but)\b",
    re.IGNORECASE,
)
MAX_QUERY_CHARS = 2000
# Where a phrase ends inside a catalogue text: keywords are joined with " | ".
_SEGMENT = re.compile(r"[|.,;:!?()\n]+")
MAX_LIMIT = 20


@dataclass
class Doc:
    service_id: int
    organisation: str
    tenant_id: int | None
    payload: dict
    terms: frozenset = frozenset()  # the stems it can be found by
    phrase_terms: frozenset = frozenset()  # ... plus its phrase words, for synonym phrases


@dataclass
class QueryTerm:
    weight: float
    word: str  # the resident's word this term came from
    kind: str  # exact | part | fuzzy | synonym | pair
    via: str = ""  # fuzzy, part: the catalogue word; synonym: what the resident wrote
    phrase: frozenset = frozenset()  # synonym of several words: all must be in the document


@dataclass
class Suggestion:
    service: dict
    organisation: str
    score: float
    matched_terms: list[str]
    learned_local: int  # confirmed outcomes in this municipality that support it
    learned_national: int  # ... and in the whole country
    reason: str = ""


@dataclass
class _Learned:
    # tenant id (None for outside a municipality) → term → service id → count
    by_tenant: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(dict)))
    national: dict = field(default_factory=lambda: defaultdict(dict))
    last_id: int = 0

    def add(self, tenant_id, terms, service_id):
        for term in terms:
            cell = self.by_tenant[tenant_id][term]
            cell[service_id] = cell.get(service_id, 0) + 1
            cell = self.national[term]
            cell[service_id] = cell.get(service_id, 0) + 1


class Engine:
    def __init__(self, services, overrides, synonym_groups, stamp=None):
        self.stamp = stamp
        self.docs: list[Doc] = []
        self.hidden: dict[int, set[int]] = defaultdict(set)  # tenant → hidden doc indexes
        self.doc_of_service: dict[int, int] = {}
        self.variant_of: dict[tuple[int, int], int] = {}  # (service, tenant) → own text doc
        self.learned = _Learned()
        override_by_service = defaultdict(list)
        for override in overrides:
            override_by_service[override.service_id].append(override)

        fields_per_doc = []
        for service in services:
            index = self._add_doc(service, None, fields_per_doc)
            self.doc_of_service[service.pk] = index
            for override in override_by_service.get(service.pk, ()):
                self.hidden[override.tenant_id].add(index)
                if override.is_offered:
                    variant = self._add_doc(service, override, fields_per_doc)
                    self.variant_of[(service.pk, override.tenant_id)] = variant
        self._build_postings(fields_per_doc)
        self._build_synonyms(synonym_groups)
        self.mentions = {
            tuple(text.stem(w) for w in text.content_words(alias)): code
            for code, aliases in ORGANISATION_ALIASES.items()
            for alias in aliases
        }

    # ---- building -------------------------------------------------------------------------
    def _add_doc(self, service, override, fields_per_doc):
        texts = override.texts(service) if override else {}
        name = texts.get("name", service.name)
        description = texts.get("description", service.description)
        how_to_apply = texts.get("how_to_apply", service.how_to_apply)
        keywords = texts.get("keywords", list(service.keywords))
        tenant_id = override.tenant_id if override else service.tenant_id
        payload = {
            "id": str(service.uuid),
            "code": service.code,
            "name": name,
            "description": description,
            "how_to_apply": how_to_apply,
            "channels": list(service.channels),
            "legal_basis": service.legal_basis,
            "legal_basis_url": service.legal_basis_url,
            "upl_uri": service.upl_uri,
            "organisation": service.organisation_type,
            "local": service.tenant_id is not None,
        }
        self.docs.append(Doc(service.pk, service.organisation_type, tenant_id, payload))
        org_label = OrganisationType(service.organisation_type).label
        fields_per_doc.append(
            {
                "name": f"{name} {service.upl_name}",
                "keywords": " | ".join(keywords),
                "english": " | ".join(service.english),
                "description": description,
                "org": f"{service.organisation_type} {org_label}",
            }
        )
        return len(self.docs) - 1

    def _build_postings(self, fields_per_doc):
        vocabulary = set()
        per_doc = []  # per document: [(field, content words, pairs)]; its phrase-word stems
        for fields in fields_per_doc:
            doc_fields, phrase_stems = [], set()
            for field_name, value in fields.items():
                words, pairs = [], []
                for segment in _SEGMENT.split(value):
                    segment_words = text.phrase_words(segment)
                    stems = [text.stem(w) for w in segment_words]
                    is_phrase = [text.is_phrase_word(w) for w in segment_words]
                    pairs.extend(pair for _, pair in text.phrase_pairs(segment_words, stems))
                    phrase_stems.update(s for s, p in zip(stems, is_phrase, strict=True) if p)
                    words.extend(w for w, p in zip(segment_words, is_phrase, strict=True) if not p)
                doc_fields.append((field_name, words, pairs))
                vocabulary.update(words)
            per_doc.append((doc_fields, phrase_stems))
        self.vocabulary = frozenset(vocabulary)
        tfs, lengths = [], []
        for index, (doc_fields, phrase_stems) in enumerate(per_doc):
            tf = defaultdict(float)
            length = 0.0
            for field_name, ws, pairs in doc_fields:
                weight = FIELD_WEIGHTS[field_name]
                for word in ws:
                    stem = text.stem(word)
                    tf[stem] += weight
                    length += weight
                    parts = text.split_compound(word, self.vocabulary)
                    for part in parts or ():
                        tf[text.stem(part)] += weight * PART_WEIGHT
                for pair in pairs:  # "paspoort kwijt": a phrase word counts next to its word
                    tf[pair] += weight * PAIR_WEIGHT
            tfs.append(tf)
            lengths.append(length)
            doc = self.docs[index]
            doc.terms = frozenset(tf)
            # A synonym phrase with a phrase word ("id-kaart kwijt") needs it in the document.
            doc.phrase_terms = doc.terms | phrase_stems
        n = len(tfs) or 1
        average = (sum(lengths) / n) or 1.0
        df = defaultdict(int)
        for tf in tfs:
            for stem in tf:
                df[stem] += 1
        self.idf = {s: math.log(1 + (n - d + 0.5) / (d + 0.5)) for s, d in df.items()}
        postings = defaultdict(list)
        for index, tf in enumerate(tfs):
            norm = K1 * (1 - B + B * lengths[index] / average)
            for stem, f in tf.items():
                postings[stem].append((index, self.idf[stem] * f * (K1 + 1) / (f + norm)))
        self.postings = dict(postings)
        # Words long enough to correct a typo towards (short words give false corrections).
        self.fuzzy_words = sorted(w for w in vocabulary if len(w) >= 5 and not w.isdigit())
        self._fuzzy_cache = {}

    def _build_synonyms(self, groups):
        """Map each member, as the stems of its words in order, to the other members of its
        groups: (member, the stems to search for, the stems a document must have, weight).

        Stop words are skipped on both sides ("krap bij kas" = "krap bij de kas"). A member
        with a phrase word ("paspoort kwijt", "geen werk meer", "niet mee eens") is matched
        with it, in `phrase_synonyms`; it never shrinks to its one content word. A member
        without one is matched on the question's content words only, as phrase words between
        them do not change what it says. A member of one phrase word ("alleen zijn") leads
        nowhere and is left out."""
        self.synonyms = defaultdict(list)  # members of content words only
        self.phrase_synonyms = defaultdict(list)  # members with a phrase word
        self.synonym_stems = set()
        self.max_synonym_len = 1
        self.loose_keys = defaultdict(list)  # first stem → members with a phrase word
        for group in groups:
            members = []
            for member in group:
                words = text.phrase_words(member)
                key = tuple(text.stem(w) for w in words)
                search = tuple(text.stem(w) for w in words if not text.is_phrase_word(w))
                if search or len(key) > 1:
                    members.append((member, key, search))
            for _member, key, search in members:
                self.max_synonym_len = max(self.max_synonym_len, len(key))
                self.synonym_stems.update(key)
                table = self.phrase_synonyms if len(key) > len(search) else self.synonyms
                if table is self.phrase_synonyms and key not in table:
                    self.loose_keys[key[0]].append(key)
                for other, other_key, other_search in members:
                    if other_key != key and other_search:
                        # Weighed by its length in words: a longer phrase is more specific,
                        # each of its words counts less.
                        weight = SYNONYM_WEIGHT / len(other_key) ** 0.5
                        required = frozenset(other_key) if len(other_key) > 1 else frozenset()
                        table[key].append((other, other_search, required, weight))

    # ---- analysing a question --------------------------------------------------------------
    def _correct(self, word):
        """The catalogue word a typo most likely meant and its edit distance, or None."""
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        best = None
        if len(word) >= 5 and not word.isdigit():  # short words: too many false corrections
            max_distance = 1 if len(word) <= 7 else 2
            matches = process.extract(
                word,
                self.fuzzy_words,
                scorer=Levenshtein.distance,
                score_cutoff=max_distance,
                limit=8,
            )
            if matches:
                # Closest first; among equals the word most documents use.
                matches.sort(key=lambda m: (m[1], -len(self.postings.get(text.stem(m[0]), ()))))
                best = (matches[0][0], matches[0][1])
        if len(self._fuzzy_cache) < 20_000:
            self._fuzzy_cache[word] = best
        return best

    def analyse(self, question):
        """Terms to search for, per clause: [{stem: QueryTerm}]; the raw stems used for
        learning (also words the catalogue does not know); the resolved stems in order (typos
        corrected), to find organisations named in the question."""
        clauses = [c for c in _CLAUSE.split(question) if c and c.strip()]
        analysed, raw = [], []
        in_order = []
        for clause in clauses:
            terms: dict[str, QueryTerm] = {}
            sequence, surface, positions = [], [], []
            all_words = text.words(clause)
            for position, word in enumerate(all_words):
                if not text.in_phrases(word):
                    continue
                stem = text.stem(word)
                if not text.is_phrase_word(word):  # a phrase word is no term, nor learned
                    raw.append(stem)
                    resolved = self._resolve(word, stem)
                    for s, term in resolved:
                        if s not in terms or terms[s].weight < term.weight:
                            terms[s] = term
                    stem = resolved[0][0] if resolved else stem
                    in_order.append(stem)
                sequence.append(stem)
                surface.append(word)
                positions.append(position)

            def said(start, end, all_words=all_words, positions=positions):
                """What the resident wrote from sequence[start] to sequence[end - 1], with
                the stop words in between: "krap bij kas"."""
                return " ".join(all_words[positions[start] : positions[end - 1] + 1])

            self._add_pairs(sequence, surface, terms, said)
            self._expand_synonyms(sequence, surface, terms, said)
            if terms:
                analysed.append(terms)
        return analysed, list(dict.fromkeys(raw)), in_order

    def _resolve(self, word, stem):
        """The catalogue stems a word of the question stands for, best guess first: the word
        itself; nothing if a synonym group knows it (the expansion handles it); an English
        plural; a one-letter typo; a compound of known words; a two-letter typo; the known
        part of a compound."""
        if stem in self.postings:
            return [(stem, QueryTerm(1.0, word, "exact"))]
        if stem in self.synonym_stems:  # part of a synonym phrase: keep it as the resident said it
            return []
        if word.endswith("s") and text.stem(word[:-1]) in self.postings:  # English plural
            return [(text.stem(word[:-1]), QueryTerm(1.0, word, "exact"))]
        corrected = self._correct(word)
        if corrected and corrected[1] <= 1:
            return [(text.stem(corrected[0]), QueryTerm(FUZZY_WEIGHT, word, "fuzzy", corrected[0]))]
        parts = text.split_compound(word, self.vocabulary)
        if parts:
            return [
                (text.stem(p), QueryTerm(QUERY_PART_WEIGHT, word, "part", p))
                for p in parts
                if text.stem(p) in self.postings
            ]
        if corrected:
            return [(text.stem(corrected[0]), QueryTerm(FUZZY_WEIGHT, word, "fuzzy", corrected[0]))]
        part = text.known_part(word, self.vocabulary)
        if part and text.stem(part) in self.postings:
            return [(text.stem(part), QueryTerm(QUERY_PART_WEIGHT, word, "part", part))]
        return []

    def _add_pairs(self, sequence, surface, terms, said):
        """A phrase word next to a word of the question, where the catalogue has the same
        pair: "paspoort kwijt" finds the service whose keywords say "paspoort kwijt"."""
        for start, pair in text.phrase_pairs(surface, sequence):
            if pair in self.postings and pair not in terms:
                terms[pair] = QueryTerm(PAIR_WEIGHT, said(start, start + 2), "pair")

    def _expand_synonyms(self, sequence, surface, terms, said):
        found = []  # (start, end, members): where a synonym member stands in the question
        content = [i for i, word in enumerate(surface) if not text.is_phrase_word(word)]
        content_stems = [sequence[i] for i in content]
        for size in range(min(self.max_synonym_len, len(sequence)), 0, -1):
            for start in range(len(content) - size + 1):
                key = tuple(content_stems[start : start + size])
                if key in self.synonyms:
                    found.append((content[start], content[start + size - 1] + 1, key, False))
            for start in range(len(sequence) - size + 1):
                key = tuple(sequence[start : start + size])
                if key in self.phrase_synonyms:
                    found.append((start, start + size, key, True))
        # A member with a phrase word also matches with a few words in between, as Dutch puts
        # "niet" and "kwijt" late: "werkgever betaalt mijn loon niet" has "werkgever betaalt
        # niet", "baan ben ik echt helemaal kwijt" has "baan kwijt".
        for start, stem in enumerate(sequence):
            for key in self.loose_keys.get(stem, ()):
                end = _ordered_within(sequence, start, key, len(key) + PHRASE_SLOP)
                if end is not None and end - start > len(key):
                    found.append((start, end, key, True))
        for start, end, key, with_phrase_word in found:
            source = said(start, end)
            table = self.phrase_synonyms if with_phrase_word else self.synonyms
            for other, other_stems, phrase, weight in table[key]:
                for s in other_stems:
                    if s in self.postings and (s not in terms or terms[s].weight < weight):
                        terms[s] = QueryTerm(weight, other, "synonym", source, phrase)

    # ---- scoring ---------------------------------------------------------------------------
    def _visible(self, index, tenant_id):
        doc = self.docs[index]
        if doc.tenant_id is not None and doc.tenant_id != tenant_id:
            return False
        return tenant_id is None or index not in self.hidden.get(tenant_id, ())

    def _bm25(self, terms, tenant_id):
        """BM25 per visible document, times how much of the question it covers: the
        idf-weighted share of the resident's words (directly or through a synonym) it matches,
        to the power COVERAGE_EXPONENT. One rare shared word no longer beats a document that
        matches most of what was asked."""
        scores = defaultdict(float)
        matched = defaultdict(dict)  # doc → resident's word → best idf matched for it
        word_idf = {}
        for stem, term in terms.items():
            key = term.via if term.kind == "synonym" else term.word
            idf = self.idf.get(stem, 0.0) * min(term.weight * 2, 1.0)
            word_idf[key] = max(word_idf.get(key, 0.0), idf)
            for index, weight in self.postings.get(stem, ()):
                if term.phrase and not term.phrase <= self.docs[index].phrase_terms:
                    continue  # "rent benefit" does not match a document with only "benefit"
                scores[index] += term.weight * weight
                if matched[index].get(key, 0.0) < idf:
                    matched[index][key] = idf
        total_idf = sum(word_idf.values()) or 1.0
        return {
            i: s * (sum(matched[i].values()) / total_idf) ** COVERAGE_EXPONENT
            for i, s in scores.items()
            if self._visible(i, tenant_id)
        }

    def _learned(self, raw_stems, tenant_id):
        """Per service, how well earlier outcomes cover this question (0..1): the idf-weighted
        share of the question's words that led to the service before, in this municipality
        (full weight) and nationally (0.7). Plus how many outcomes support it."""
        share = defaultdict(float)
        support = defaultdict(lambda: [0, 0])  # service → [in this municipality, nationally]
        local = self.learned.by_tenant.get(tenant_id, {}) if tenant_id is not None else {}
        tables = ((local, 1.0, 0), (self.learned.national, LEARN_NATIONAL_SHARE, 1))
        weight_sum = 0.0
        for stem in raw_stems:
            idf = self.idf.get(stem, self._unknown_idf)
            if idf < LEARN_MIN_IDF:
                continue
            weight_sum += idf
            per_stem = defaultdict(float)
            for table, part, slot in tables:
                counts = table.get(stem)
                if not counts:
                    continue
                total = sum(counts.values())
                for service_id, count in counts.items():
                    per_stem[service_id] += part * count / (total + LEARN_SMOOTHING)
                    support[service_id][slot] = max(support[service_id][slot], count)
            for service_id, p in per_stem.items():
                share[service_id] += idf * min(p, 1.0)
        if not weight_sum:
            return {}, support
        return {s: v / weight_sum for s, v in share.items()}, support

    @property
    def _unknown_idf(self):
        n = len(self.docs) or 1
        return math.log(1 + (n - 0.5) / 1.5)

    def suggest(self, question, *, limit=5, tenant_id=None, tenant_name=None):
        """The best services for a question. `tenant_name` (the municipality's name) is only
        used in the reason shown to staff."""
        clauses, raw, resolved = self.analyse(question)
        if not clauses and not raw:
            return []
        everything = {}
        for terms in clauses:
            for stem, term in terms.items():
                if stem not in everything or everything[stem].weight < term.weight:
                    everything[stem] = term
        total = self._bm25(everything, tenant_id)
        mentioned = self._mentioned(resolved)
        if mentioned:
            for index in total:
                if self.docs[index].organisation in mentioned:
                    total[index] *= 1 + ORGANISATION_MENTION_BOOST
        coverage, support = self._learned(raw, tenant_id)
        if coverage:
            # A service that earlier outcomes cover fully gains as much as the best text match
            # (at least LEARN_FLOOR); partial cover counts less than linearly, so one shared common
            # word ("betalen") does not drag a service up.
            scale = max(max(total.values(), default=0.0), LEARN_FLOOR)
            for service_id, value in coverage.items():
                index = self._doc_for(service_id, tenant_id)
                if index is not None:
                    total[index] = (
                        total.get(index, 0.0) + LEARN_WEIGHT * scale * value**LEARN_EXPONENT
                    )
        if not total:
            return []
        ranked = sorted(total, key=lambda i: (-total[i], i))
        best = total[ranked[0]]
        floor = best * MIN_RELATIVE_SCORE
        # One winner per clause of a story with several problems, kept near the top: a clause
        # is scored on its own, and its winner counts when it is a real match for that clause
        # (at least CLAUSE_MIN_SHARE of the best clause's score), not noise.
        clause_best = []
        if len(clauses) > 1:
            for terms in clauses:
                scores = self._bm25(terms, tenant_id)
                if scores:
                    winner = max(scores, key=lambda i: (scores[i], -i))
                    clause_best.append((scores[winner], winner))
        strongest = max((score for score, _ in clause_best), default=0.0)
        chosen = [ranked[0]]
        for score, winner in sorted(clause_best, reverse=True):
            organisations = {self.docs[c].organisation for c in chosen}
            if score >= strongest * CLAUSE_MIN_SHARE and (
                self.docs[winner].organisation not in organisations
            ):
                chosen.append(winner)
                total.setdefault(winner, 0.0)
        remaining = [i for i in ranked if i not in chosen and total[i] >= floor]
        seen = defaultdict(int)
        for c in chosen:
            seen[self.docs[c].organisation] += 1
        position = {i: n for n, i in enumerate(ranked)}
        while len(chosen) < limit and remaining:
            pick = max(
                remaining[: limit * 4],
                key=lambda i: (
                    total[i] * SAME_ORGANISATION_PENALTY ** seen[self.docs[i].organisation],
                    -position[i],
                ),
            )
            chosen.append(pick)
            seen[self.docs[pick].organisation] += 1
            remaining.remove(pick)
        place = (tenant_id, tenant_name)
        return [self._suggestion(i, total[i], everything, support, place) for i in chosen[:limit]]

    def _mentioned(self, stems):
        found = set()
        for size in (1, 2, 3):
            for start in range(len(stems) - size + 1):
                code = self.mentions.get(tuple(stems[start : start + size]))
                if code:
                    found.add(code)
        return found

    def _doc_for(self, service_id, tenant_id):
        index = self.doc_of_service.get(service_id)
        if index is None:
            return None
        if self._visible(index, tenant_id):
            return index
        return self.variant_of.get((service_id, tenant_id))

    def _suggestion(self, index, score, terms, support, place=(None, None)):
        doc = self.docs[index]
        matched = [
            t
            for s, t in terms.items()
            if s in doc.terms and (not t.phrase or t.phrase <= doc.phrase_terms)
        ]
        matched.sort(key=lambda t: -t.weight)
        words, related = [], defaultdict(int)
        for term in matched:
            if term.kind == "synonym":
                related[term.via] += 1
                if related[term.via] > 2:  # enough to explain; keep the reason short
                    continue
            words.append(_show(term))
        words = list(dict.fromkeys(words))
        local, national = support.get(doc.service_id, (0, 0))
        return Suggestion(
            service=doc.payload,
            organisation=doc.organisation,
            score=round(score, 3),
            matched_terms=words,
            learned_local=local,
            learned_national=national,
            reason=_reason(matched, local, national, *place),
        )

    # ---- learning --------------------------------------------------------------------------
    def learn_new_outcomes(self):
        rows = (
            RoutingOutcome.objects.filter(id__gt=self.learned.last_id)
            .order_by("-id")
            .values_list("id", "tenant_id", "terms", "service_id")[:MAX_OUTCOMES_IN_MEMORY]
        )
        for row_id, tenant_id, terms, service_id in reversed(list(rows)):
            self.learned.add(tenant_id, terms.split(), service_id)
            self.learned.last_id = max(self.learned.last_id, row_id)


# Negations that bind to the next word: a member that starts with one ("geen werk meer") matches
# only with its next word right after it, never across another word ("geen zorgtoeslag meer
# sinds ik werk" is no "geen werk").
_BINDING = frozenset(text.stem(w) for w in ("geen", "no"))


def _ordered_within(sequence, start, key, window):
    """The end of the shortest stretch from `start` that holds `key` in order within `window`
    words, or None."""
    if sequence[start] != key[0]:
        return None
    if key[0] in _BINDING and (start + 1 >= len(sequence) or sequence[start + 1] != key[1]):
        return None  # "geen" belongs to the word after it: "geen zorgtoeslag ... werken"
    position = start + 1
    limit = min(len(sequence), start + window)
    for stem in key[1:]:
        while position < limit and sequence[position] != stem:
            position += 1
        if position >= limit:
            return None
        position += 1
    return position


def _show(term: QueryTerm) -> str:
    if term.kind == "fuzzy":
        return f"{term.word} → {term.via}"
    if term.kind == "synonym":
        return f"{term.via} ≈ {term.word}"
    return term.word


# The order in which matched words explain a suggestion: what the resident said literally first.
_REASON_ORDER = {"pair": 0, "exact": 1, "part": 2, "fuzzy": 3, "synonym": 4}
MAX_REASON_WORDS = 4


def _reason(matched, local, national, tenant_id=None, tenant_name=None):
    """The reason shown to staff, in plain Dutch (B1): which words of the question the service
    fits, and how often it was chosen for such questions before. `matched` are the QueryTerms
    the service matched, best first. The same facts, for machines, are in `matched_terms` and
    `learned_local` / `learned_national`."""
    said_words = set()  # the resident's words already explained
    items = []
    for term in sorted(matched, key=lambda t: (_REASON_ORDER[t.kind], -t.weight)):
        said = term.via if term.kind == "synonym" else term.word
        if said in said_words or (term.kind != "pair" and set(said.split()) <= said_words):
            continue
        said_words.update(said.split())
        said_words.add(said)
        if term.kind in ("pair", "exact"):
            items.append(said)
        else:
            catalogue_word = term.word if term.kind == "synonym" else term.via
            items.append(
                _("%(word)s (u typte: %(typed)s)") % {"word": catalogue_word, "typed": said}
            )
        if len(items) == MAX_REASON_WORDS:
            break
    parts = []
    if items:
        parts.append(_("Past bij: %(words)s") % {"words": ", ".join(items)})
    if local:
        if tenant_name:
            text_ = ngettext(
                "Eerder gekozen bij zulke vragen in %(municipality)s (%(count)d keer)",
                "Eerder gekozen bij zulke vragen in %(municipality)s (%(count)d keer)",
                local,
            )
        else:
            text_ = ngettext(
                "Eerder gekozen bij zulke vragen in deze gemeente (%(count)d keer)",
                "Eerder gekozen bij zulke vragen in deze gemeente (%(count)d keer)",
                local,
            )
        parts.append(text_ % {"municipality": _place(tenant_name), "count": local})
    elif national:
        if tenant_id is not None:
            text_ = ngettext(
                "Eerder gekozen bij zulke vragen elders in het land (%(count)d keer)",
                "Eerder gekozen bij zulke vragen elders in het land (%(count)d keer)",
                national,
            )
        else:
            text_ = ngettext(
                "Eerder gekozen bij zulke vragen in het hele land (%(count)d keer)",
                "Eerder gekozen bij zulke vragen in het hele land (%(count)d keer)",
                national,
            )
        parts.append(text_ % {"count": national})
    return "".join(f"{part}. " for part in parts).strip()


def _place(name):
    """'Gemeente Enschede' → 'Enschede': the name reads as a place in a sentence."""
    name = (name or "").strip()
    prefix = "gemeente "
    return name[len(prefix) :] if name.lower().startswith(prefix) else name


# ---- the process-wide engine -------------------------------------------------------------
_lock = threading.Lock()
_engine: Engine | None = None
_checked_at = 0.0


def catalogue_stamp():
    services = Service.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    overrides = ServiceOverride.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (services["n"], services["at"], overrides["n"], overrides["at"])


def build_engine(stamp=None) -> Engine:
    services = list(Service.objects.filter(is_active=True).order_by("id"))
    overrides = list(ServiceOverride.objects.all().order_by("id"))
    return Engine(services, overrides, data.synonym_groups(), stamp=stamp)


def get_engine() -> Engine:
    global _engine, _checked_at
    interval = settings.ROUTING_REFRESH_SECONDS
    now = time.monotonic()
    engine = _engine
    if engine is not None and now - _checked_at < interval:
        return engine
    with _lock:
        stamp = catalogue_stamp()
        if _engine is None or _engine.stamp != stamp:
            fresh = build_engine(stamp)
            fresh.learn_new_outcomes()
            _engine = fresh
        else:
            _engine.learn_new_outcomes()
        _checked_at = time.monotonic()
        return _engine


def reset_engine():
    """Forget the in-memory index (tests; after a bulk import in the same process)."""
    global _engine, _checked_at
    with _lock:
        _engine = None
        _checked_at = 0.0
