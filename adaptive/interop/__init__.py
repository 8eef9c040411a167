"""Interoperability with the systems schools already run: reading their standard exports into plain records
for the facade (readers never write tables themselves)."""
