"""The one rule of searching assignments: which match a reader's words, best first.

    found = search(Assignment.objects.public().order_by(...), "förskolans arbete")
    found = search(queryset, text, as_of=period.date)   # texts published by then only

What is searched is an assignment's title and the texts of its published assessments
(Assessment.objects.published(): never a draft, nor a version that a correction
superseded); with `as_of` only the texts of periods on or before that date. The text is
first cleaned(): each control character (a NUL too) a space, white space folded, at most
MAX_LENGTH characters. search() keeps the assignments of the queryset that match, annotates
`search_rank` (higher is better) and orders by it, then by the queryset's own order. It
reads the matching texts at once (one query) and gives a queryset (one more).

An assignment matches

- everywhere, when every word of the text is in its title, or every word of at least
  MIN_TEXT_WORD_LENGTH characters in one of its texts, in any case, also within a longer
  word ("bostad" finds "bostadsförsörjningen"). A shorter word ("i", "IT") is looked for
  in the titles only: no index finds it within the texts, and reading every text for it
  took 60 ms;
- on PostgreSQL also (django.contrib.postgres's functions, which need no app):
  - by full-text search with the Swedish configuration (websearch syntax: "a phrase",
    -without, or) in the title or in one of its texts, so that an inflected form finds its
    word. The Swedish snowball stemmer conflates some forms, not all: "förskolan" finds
    "förskolans" (both stem to "förskolan"), "förskolor" does not (it stems to
    "förskol");
  - by trigram similarity (pg_trgm) of the text to the title's words and parts of words
    (word_similarity) of at least SIMILARITY, so that a typo in a title's word still finds
    it ("pedagpgiska" finds "pedagogiska", "förskolor" finds "förskolans"); only for a text
    of at least MIN_TRIGRAM_LENGTH characters, as a shorter one is similar to too much.
  The rank is the title's full-text rank plus that similarity, plus TEXT_WEIGHT when a
  text matched.
- On SQLite, whose LIKE folds the case of ASCII letters only, each word is also tried in
  lower case, upper case and with a capital initial, so that "öka" finds "Öka" and "ÖKA"
  (a mixed case such as "öKa" is not found). The rank is 1 when the title matched, else 0.

Costs (PostgreSQL 15, 200 assignments with 1,100 published texts of 400 characters): the
titles are read whole, 4 ms. The texts are found through two GIN indexes (migration 0007,
on the expression to_tsvector('swedish', text) and on text with gin_trgm_ops for ILIKE):
0.1 ms for a word that few texts hold, against 60 ms without them; a word that most texts
hold is still read from every text (60 ms). Trigram similarity to the texts' words was left
out: it cost 100 µs a text on every search, which no index saves.
"""

from __future__ import annotations

import datetime
import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)

from assignments.models import Assessment

MAX_LENGTH = 200  # characters of a search text; the rest is not searched
MAX_WORDS = 12  # distinct words of a search text that are matched each
SIMILARITY = 0.5  # the least trigram word similarity of the text to a title that matches
MIN_TRIGRAM_LENGTH = 4  # a shorter text is matched by its words and stems only
MIN_TEXT_WORD_LENGTH = 3  # a shorter word is looked for in titles only, not within texts
TEXT_WEIGHT = 0.25  # what a matching assessment text adds to an assignment's rank
CONFIG = "swedish"  # PostgreSQL's text search configuration (and that of the index)
RANK = "search_rank"

# Control characters (PostgreSQL refuses a NUL in a text), and runs of white space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def cleaned(text: str | None) -> str:
    """The text as searched: control characters as spaces, white space folded to one
    space, at most MAX_LENGTH characters, trimmed. Empty: nothing to search."""
    if not text:
        return ""
    text = _SPACE.sub(" ", _CONTROL.sub(" ", str(text))).strip()
    return text[:MAX_LENGTH].strip()


def words(text: str) -> list[str]:
    """The distinct words of a cleaned() text, at most MAX_WORDS, in order."""
    return list(dict.fromkeys(text.split()))[:MAX_WORDS]


def search(queryset: QuerySet, text: str | None, *, as_of: datetime.date | None = None):
    """The assignments of `queryset` that match `text`, annotated `search_rank`, best
    first and then in the queryset's order; only texts of periods on or before `as_of`
    count (None: all). An empty text (after cleaned()) keeps them all, each of rank 0, in
    the queryset's order."""
    text = cleaned(text)
    if not text:
        return queryset.annotate(**{RANK: Value(0.0, output_field=FloatField())})
    order = [f"-{RANK}", *queryset.query.order_by]
    postgresql = connections[queryset.db].vendor == "postgresql"
    texts = Assessment.objects.using(queryset.db).published()
    if as_of is not None:
        texts = texts.filter(period__date__lte=as_of)
    in_title = _every_word_in("title", words(text), postgresql=postgresql)
    long_words = [word for word in words(text) if len(word) >= MIN_TEXT_WORD_LENGTH]
    in_text = _every_word_in("text", long_words, postgresql=postgresql) if long_words else None
    if postgresql:
        fts = Q(SwedishMatch("text", text))
        in_text = fts if in_text is None else in_text | fts
    found_in_texts = set()
    if in_text is not None:
        found_in_texts = set(
            texts.filter(in_text).order_by().values_list("assignment", flat=True).distinct()
        )
    text_matched = Q(pk__in=found_in_texts)
    if postgresql:
        title_matched = in_title | Q(SwedishMatch("title", text))
        rank = SwedishRank("title", text)
        if len(text) >= MIN_TRIGRAM_LENGTH:
            similarity = TrigramWordSimilarity(Value(text), "title")
            title_matched |= Q(search_title_similarity__gte=SIMILARITY)
            queryset = queryset.annotate(search_title_similarity=similarity)
            rank = rank + F("search_title_similarity")
        rank = rank + _if(text_matched, TEXT_WEIGHT)
    else:
        title_matched = in_title
        rank = _if(in_title, 1.0)
    return queryset.filter(title_matched | text_matched).annotate(**{RANK: rank}).order_by(*order)


def _if(condition: Q, value: float) -> Case:
    return Case(When(condition, then=Value(value)), default=Value(0.0), output_field=FloatField())


def _every_word_in(column: str, wanted: list[str], *, postgresql: bool) -> Q:
    """Every one of the words `wanted` in `column`, in any case. On PostgreSQL with ILIKE,
    which the trigram index serves (Django's icontains compares UPPER() of both, which no
    index serves); elsewhere with icontains and each word's case _variants()."""
    condition = Q()
    for word in wanted:
        if postgresql:
            condition &= Q(ILike(column, word))
        else:
            either = Q()
            for variant in _variants(word):
                either |= Q(**{f"{column}__icontains": variant})
            condition &= either
    return condition


def _variants(word: str) -> list[str]:
    """The word as given, in lower case, upper case and with a capital initial: what an
    ASCII-only case-insensitive LIKE needs to find a word with å, ä or ö in any of them."""
    return list(dict.fromkeys([word, word.lower(), word.upper(), word.capitalize()]))


class ILike(Func):
    """`column` ILIKE '%word%' (PostgreSQL): the word anywhere in the column, in any case,
    its % and _ taken literally."""

    output_field = BooleanField()

    def __init__(self, column: str, word: str):
        super().__init__(F(column), Value(word))

    def as_sql(self, compiler, connection, **extra):
        column, word = self.source_expressions
        column_sql, column_params = compiler.compile(column)
        pattern = f"%{connection.ops.prep_for_like_query(word.value)}%"
        return f"{column_sql} ILIKE %s", [*column_params, pattern]


class SwedishMatch(Func):
    """to_tsvector('swedish', column) @@ websearch_to_tsquery('swedish', text), the
    configuration written into the SQL as the index of the texts (migration 0007) has it,
    so that PostgreSQL uses the index."""

    output_field = BooleanField()
    # The SQL, with the column and the text in their places.
    sql_template = (
        f"to_tsvector('{CONFIG}'::regconfig, {{column}}) "
        f"@@ websearch_to_tsquery('{CONFIG}'::regconfig, {{text}})"
    )

    def __init__(self, column: str, text: str):
        super().__init__(F(column), Value(text))

    def as_sql(self, compiler, connection, **extra):
        column, text = self.source_expressions
        column_sql, column_params = compiler.compile(column)
        text_sql, text_params = compiler.compile(text)
        sql = self.sql_template.format(column=column_sql, text=text_sql)
        return sql, [*column_params, *text_params]


class SwedishRank(SwedishMatch):
    """ts_rank of the column against the text, as SwedishMatch matches them."""

    output_field = FloatField()
    sql_template = (
        f"ts_rank(to_tsvector('{CONFIG}'::regconfig, {{column}}), "
        f"websearch_to_tsquery('{CONFIG}'::regconfig, {{text}}))"
    )
