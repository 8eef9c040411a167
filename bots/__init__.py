"""Chat front ends (Slack, Teams, local chat): thin adapters over one conversation core.

Nothing in :mod:`adaptive` imports this package.
"""
