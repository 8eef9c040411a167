"""Content-library search: the result record, and turning what a user typed into safe search terms.

Any text is a valid query: it is split at whitespace into terms, each searched as a phrase of its words
(``6.RP.1`` is the phrase ``6 RP 1``); an item matches when it contains any term, and items matching more
terms, or in their title, rank higher. Operators and quotes are only text. No database here: the index and
its queries are in :mod:`adaptive.store.search_index`.
"""

from __future__ import annotations

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32


def clean_text(value: str) -> str:
    """``value`` without NUL characters or unpaired surrogates (neither database can store them)."""
    return value.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


def search_terms(query: str | None) -> tuple[str, ...]:
    """The terms of ``query``: whitespace-separated pieces holding a letter or digit (at most :data:`MAX_TERMS`,
    duplicates dropped). No terms means no text to search for: every item (filtered) is listed."""
    text = clean_text(query or "")[:MAX_QUERY_CHARS]
    terms = (piece for piece in text.split() if any(ch.isalnum() for ch in piece))
    return tuple(dict.fromkeys(terms))[:MAX_TERMS]
