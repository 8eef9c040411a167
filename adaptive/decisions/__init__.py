"""Decisions: what the rules decide after each response, turned into playlists, skips and small-group flags.

Pure engines over domain values (the store loads the evidence and writes the outcome; the services own the
transactions): ``snapshot`` builds the evidence a rule reads, ``strategies`` turns a next-item strategy into
content items, ``apply`` decides for a batch of responses, ``rulesets`` checks rules files and builds their
engines, ``simulate`` replays responses under a candidate file, ``teacher`` builds playlists. The records
they return are in :mod:`adaptive.domain.decisions`.
"""
