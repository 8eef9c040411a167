"""Readers for the standard exports schools already have (OneRoster rosters, xAPI statements, CASE
frameworks) and for the responses CSV: files in, plain records out for the facade; readers never write
tables themselves."""
