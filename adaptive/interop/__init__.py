"""Readers for school data standards: OneRoster rosters, xAPI statements, CASE frameworks."""
