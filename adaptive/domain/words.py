"""Counts in words, as every page, message and log detail says them: "1 answer", "13 answers"."""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` things in words: "1 goal", "3 goals" (``many`` for an irregular plural: "competencies")."""
    return f"{n} {one if n == 1 else many or one + 's'}"
