"""Helpers for the rules tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import textwrap

from adaptive.rules import case_evidence

HEAD = """\
id: t
version: "1"
owner: tests
description: test rules
hit_policy: {policy}
"""


def rules_yaml(rules: str, policy: str = "collect", extra: str = "") -> str:
    """A whole rules file around the given (dedented) rules list body."""
    return HEAD.format(policy=policy) + extra + "rules:\n" + textwrap.indent(textwrap.dedent(rules), "  ")


def ev(**given):
    """Evidence for an ordinary student, with the given fields changed."""
    return case_evidence(given)
