"""The search analyzer: text in, index terms out, the same function for documents and queries.

Arabic words are folded (`normalize.fold`: hamza forms, ta marbuta, alef maqsura, tatweel,
diacritics, Eastern digits), stop words dropped, the article and its attached forms removed,
a single attached و ف ب ك ل removed only when what is left is a known word, broken plurals of
the domain mapped to their singular, and suffixes (pronouns, sound plurals, dual) removed —
preferring the shortest stripping that lands on a known word, falling back to a light stem.
French and English words go through Snowball. Queries add, per word, the other words of its
thesaurus group (regional and Latin-script synonyms); typo tolerance is the engine's, over the
index's vocabulary (`one_edit_apart`).

No Django import: search, imports and document intake share it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from masar.arabic.lexicon import BROKEN_PLURALS, DEFAULT_THESAURUS, KNOWN_WORDS, STOP_WORDS
from masar.arabic.normalize import fold

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed"
# A word: letters with their diacritics and tatweel, or a run of digits; Latin words may hold
# an inner apostrophe or hyphen (e-services, aujourd'hui).
_WORD = re.compile(rf"\d+|[^\W\d_][^\W\d_{_MARKS}]*(?:[{_MARKS}]+[^\W\d_]*)*|[{_MARKS}]+[^\W\d_]+")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN_JOIN = re.compile(r"(?<=[a-z])[-'’](?=[a-z])")

_ARTICLES = ("وبال", "وكال", "فبال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
_PROCLITICS = ("و", "ف", "ب", "ك", "ل")
_PRONOUNS = ("هما", "كما", "كم", "هم", "هن", "نا", "ها", "ه")
_PLURALS = ("ات", "ون", "ين", "ان")
MIN_STEM = 2
TYPO_MIN_LENGTH = 5  # a word this long or longer tolerates one edit


def _canonical(word: str) -> str:
    """Drop a final ه (a folded ta marbuta, or the pronoun) when three letters remain."""
    return word[:-1] if len(word) > 3 and word.endswith("ه") else word


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    stop = frozenset(fold(w) for w in STOP_WORDS)
    plurals = {fold(p): _canonical(fold(s)) for p, s in BROKEN_PLURALS.items()}
    # A word of the list that is a plural is known by its singular only (مشروعات is مشروع).
    known = {_canonical(fold(w)) for w in KNOWN_WORDS.split() if fold(w) not in plurals and not fold(w).endswith("ات")}
    known.update(plurals.values())
    for group in DEFAULT_THESAURUS:
        for word in (fold(w) for phrase in group for w in phrase.split()):
            article = next((a for a in _ARTICLES if word.startswith(a) and len(word) - len(a) >= 2), "")
            known.add(_canonical(word[len(article) :]))
    known = {w for w in known if _ARABIC.search(w)}
    return stop, frozenset(known), plurals


def _suffix_candidates(word: str) -> list[tuple[str, bool]]:
    """Return (stem, sure) for word from the least to the most stripped (word has no prefix left).

    A stem that is not sure (a final alef taken for the accusative ending) is used only when known.
    """
    _, _, plurals = _tables()
    out: list[tuple[str, bool]] = []

    def add(stem: str, sure: bool = True) -> None:
        stem = _canonical(plurals.get(stem, stem))
        if len(stem) >= MIN_STEM and all(stem != s for s, _ in out):
            out.append((stem, sure))

    add(word)
    if word.endswith("ا") and len(word) > 3:
        add(word[:-1], sure=False)  # مشروعًا: the accusative ending, once its tanween is folded away
    for pronoun in _PRONOUNS:
        if word.endswith(pronoun) and len(word) - len(pronoun) >= 3:
            rest = word[: -len(pronoun)]
            if rest.endswith("ت") and len(rest) > 3:
                add(rest[:-1] + "ه")  # وزارتها: the ta marbuta before a pronoun is written ت
            add(rest)
            word = rest
            break
    for plural in _PLURALS:
        # ون ين ان end many singulars (تحسين, تكوين, إعلان): taken for a plural or dual ending only on a long word.
        shortest = 3 if plural == "ات" else 4
        if word.endswith(plural) and len(word) - len(plural) >= shortest:
            add(word[: -len(plural)])
            break
    if word.endswith("اتي") and len(word) >= 6:
        add(word[:-3])  # معلوماتي, مؤسساتي: an adjective made on a plural names its singular's world
    return out


def _prefix_candidates(word: str) -> list[tuple[str, bool]]:
    """Return (rest, trusted) for word and for each attached article or proclitic removed.

    An article removed is trusted (its rest may be an unknown word); a lone proclitic is not.
    """
    out = [(word, True)]
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            out.append((word[len(article) :], True))
            break
    if word[:1] in _PROCLITICS and len(word) > 3:
        rest = word[1:]
        out.append((rest, False))
        if rest[:1] in ("ب", "ك", "ل") and len(rest) > 3:
            out.append((rest[1:], False))
    return out


def _light_stem(word: str) -> str:
    sure = [stem for stem, ok in _suffix_candidates(word) if ok]
    return sure[-1] if sure else word


@lru_cache(maxsize=200_000)
def stem_arabic(word: str) -> tuple[str, ...]:
    """Return the index terms of one folded Arabic word: none for a stop word, usually one.

    A word that starts with a letter that may be an attached و ف ب ك ل, and whose stems are all
    unknown, gives two terms: the light stem with that letter and without it (بتاريخ: بتاريخ and
    تاريخ), so that an unknown word is found both ways.
    """
    stop, known, _ = _tables()
    if word in stop or len(word) < MIN_STEM or (word[0] in _PROCLITICS and word[1:] in stop):
        return ()
    prefixes = _prefix_candidates(word)
    for rest, _trusted in prefixes:
        if rest in stop:
            return ()  # وفي, ومن: a stop word with a conjunction
        for stem, _sure in _suffix_candidates(rest):
            if stem in known:
                return (stem,)
    trusted = [rest for rest, ok in prefixes if ok]
    stem = _light_stem(trusted[-1])
    if len(trusted) > 1:
        return (stem,)  # the article was there: nothing else was attached before it
    guesses = [_light_stem(rest) for rest, ok in prefixes if not ok and len(rest) >= 3]
    return tuple(dict.fromkeys([stem, *guesses]))


_STEMMERS = {"fr": snowballstemmer.stemmer("french"), "en": snowballstemmer.stemmer("english")}


def _unaccent(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def stem_latin(word: str, language: str) -> str:
    """Return the Snowball stem of a Latin-script word, without accents (numerique finds numérique)."""
    stemmer = _STEMMERS.get(language, _STEMMERS["fr"])
    return _unaccent(stemmer.stemWord(word.casefold()))


@dataclass(frozen=True)
class Token:
    """One word of a text: its index term, other terms it may stand for, and the span of the original word."""

    term: str
    start: int
    end: int
    extra: tuple[str, ...] = ()


def _word_terms(raw: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    return _folded_terms(fold(raw), languages)


def _folded_terms(folded: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    if not folded:
        return ()
    if folded.isdigit():
        return (folded.lstrip("0") or "0",)
    if _ARABIC.search(folded):
        return stem_arabic(folded)
    if folded in _tables()[0]:
        return ()
    return tuple(dict.fromkeys(stem_latin(folded, language) for language in languages))


def tokens(text: str | None, language: str = "ar") -> list[Token]:
    """Return the index terms of text, each with the span of the word it came from.

    Latin words are stemmed in the text's language (French for Arabic text, as Maghreb
    administrations mix in French).
    """
    if not text:
        return []
    latin = (language if language in _STEMMERS else "fr",)
    out = []
    for match in _WORD.finditer(text):
        found = _word_terms(match.group(0), latin)
        if found:
            out.append(Token(found[0], match.start(), match.end(), found[1:]))
    return out


def analyze(text: str | None, language: str = "ar") -> tuple[str, set[tuple[str, str]]]:
    """Return, in one pass, what the index stores for text and its vocabulary for typo tolerance.

    The index text is the terms in order, then the second guesses of unknown words: the terms keep their
    order so that a phrase is found by position, the guesses come after, out of the way of phrases. The
    vocabulary is the (word as written without its article, its term) pairs of the words long enough
    for a typo to be forgiven.
    """
    latin = (language if language in _STEMMERS else "fr",)
    main, extras, pairs = [], [], set()
    for match in _WORD.finditer(_LATIN_JOIN.sub("", (text or "").casefold())):
        folded = fold(match.group(0))
        found = _folded_terms(folded, latin)
        if not found:
            continue
        main.append(found[0])
        extras.extend(found[1:])
        surface = _surface_of(folded)
        if len(surface) >= TYPO_MIN_LENGTH - 1 and not surface.isdigit():
            pairs.add((surface, found[0]))
    return " ".join(main + extras), pairs


def index_text(text: str | None, language: str = "ar") -> str:
    """Return what the index stores for text (see `analyze`)."""
    return analyze(text, language)[0]


def terms(text: str | None, language: str = "ar") -> list[str]:
    """Return the index terms of text in order, second guesses included."""
    return index_text(text, language).split()


def _article_free(folded: str) -> str:
    article = next((a for a in _ARTICLES if folded.startswith(a) and len(folded) - len(a) >= 2), "")
    return folded[len(article) :]


def _surface_of(folded: str) -> str:
    """Return a folded word without its article: what typo tolerance compares."""
    return _article_free(folded) if _ARABIC.search(folded) else _unaccent(folded)


def _query_words(text: str) -> list[tuple[tuple[str, ...], str]]:
    """Return, per query word, the terms it may stand for and its surface (for typos)."""
    joined = _LATIN_JOIN.sub("", text.casefold())
    out = []
    for m in _WORD.finditer(joined):
        found = _word_terms(m.group(0), ("fr", "en"))
        if found:
            out.append((found, _surface_of(fold(m.group(0)))))
    return out


def _query_terms(text: str) -> list[tuple[str, ...]]:
    """Return, per query word, the terms it may stand for (French and English stems for a Latin word)."""
    return [terms for terms, _surface in _query_words(text)]


@dataclass(frozen=True)
class Part:
    """One thing the query asks for.

    Found when all of `all_of` (the person's own words, each any of its terms, anywhere) are in a
    text, or any of `alternatives` (each a run of terms: a synonym or the own word) is.
    """

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    all_of: tuple[tuple[str, ...], ...] = ()
    typo_tolerant: bool = False
    surface: str = ""

    @property
    def terms(self) -> set[str]:
        return {t for alt in self.alternatives for t in alt} | {t for word in self.all_of for t in word}


@dataclass(frozen=True)
class Query:
    """A parsed query: every part must match; `phrase` is the query's own terms in order."""

    parts: tuple[Part, ...] = ()
    phrase: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.parts)


class Thesaurus:
    """Groups of synonyms, matched on analyzed terms so that any form of a member finds the group."""

    def __init__(self, groups: tuple[tuple[str, ...], ...] | list[list[str]] = DEFAULT_THESAURUS):
        self.groups: list[list[tuple[tuple[str, ...], ...]]] = []
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for members in groups:
            analyzed = []
            for member in members:
                alternatives = _query_terms(member)
                if not alternatives:
                    continue
                # A Latin member yields its French and English stems: each spelling is one sequence.
                analyzed.append(tuple(_expand(alternatives)))
            if len(analyzed) < 2:
                continue
            index = len(self.groups)
            self.groups.append(analyzed)
            for member in analyzed:
                for sequence in member:
                    self.by_first.setdefault(sequence[0], []).append((sequence, index))

    def longest_match(self, words: list[tuple[str, ...]], at: int) -> tuple[int, list[int]] | None:
        """Return (length in words, group indexes) of the longest members starting at words[at]."""
        best, groups = 0, []
        for first in words[at]:
            for sequence, index in self.by_first.get(first, ()):
                n = len(sequence)
                if n < best or at + n > len(words) or not all(sequence[i] in words[at + i] for i in range(n)):
                    continue
                if n > best:
                    best, groups = n, []
                if index not in groups:
                    groups.append(index)
        return (best, groups) if best else None

    def alternatives(self, indexes: list[int]) -> tuple[tuple[str, ...], ...]:
        return tuple(dict.fromkeys(seq for i in indexes for member in self.groups[i] for seq in member))


def _expand(words: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    sequences: list[tuple[str, ...]] = [()]
    for choices in words:
        sequences = [seq + (choice,) for seq in sequences for choice in choices]
    return sequences


MAX_QUERY_WORDS = 12


def parse_query(text: str | None, thesaurus: Thesaurus | None = None) -> Query:
    """Return what a query asks for: its words' terms, each widened by its thesaurus group.

    Only the first MAX_QUERY_WORDS meaningful words count (a pasted paragraph is not a query).
    Syntax characters of any search engine are just punctuation here.
    """
    if not text:
        return Query()
    typed = _query_words(text[:2000])[:MAX_QUERY_WORDS]
    words = [terms for terms, _ in typed]
    parts = []
    at = 0
    while at < len(words):
        match = thesaurus.longest_match(words, at) if thesaurus else None
        label = " ".join(w[0] for w in words[at : at + (match[0] if match else 1)])
        if match and match[0] > 1:
            n, indexes = match
            own = tuple(words[at : at + n])
            synonyms = tuple(s for s in thesaurus.alternatives(indexes) if s not in _expand(list(own)))  # type: ignore[union-attr]
            parts.append(Part(label, synonyms, all_of=own))
            at += n
            continue
        alternatives = tuple((c,) for c in words[at])
        if match:
            alternatives = tuple(dict.fromkeys([*alternatives, *thesaurus.alternatives(match[1])]))  # type: ignore[union-attr]
        surface = typed[at][1]
        typo = len(surface) >= TYPO_MIN_LENGTH and not surface.isdigit()
        parts.append(Part(label, alternatives, typo_tolerant=typo, surface=surface))
        at += 1
    phrase = tuple(w[0] for w in words)
    return Query(parts=tuple(parts), phrase=phrase, words=tuple(s for _, s in typed))


def one_edit_apart(a: str, b: str) -> bool:
    """Return whether b is a, or a with one letter inserted, deleted, replaced or two neighbours swapped."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def deletions(term: str) -> set[str]:
    """Return the term with each one letter removed (the keys under which typos of it are found)."""
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def trigrams(text: str) -> set[str]:
    """Return the trigrams of each word of text, padded as pg_trgm pads them."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def name_similarity(query: str, title: str) -> float:
    """Return how much title looks like query: the best share of trigrams with a run of its words."""
    wanted = trigrams(query)
    if not wanted:
        return 0.0
    words = title.split()
    n = max(1, len(query.split()))
    best = 0.0
    for i in range(max(1, len(words) - n + 1)):
        window = trigrams(" ".join(words[i : i + n]))
        best = max(best, len(wanted & window) / len(wanted | window) if window else 0.0)
    return best
