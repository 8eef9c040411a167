"""The classroom: the day's small-group list, peer tutoring pairs and rotation schedules.

Pure engines over plain inputs (:mod:`~adaptive.classroom.groups`, :mod:`~adaptive.classroom.peers`,
:mod:`~adaptive.classroom.rotations`, one module per rotation model) returning the frozen records of
:mod:`~adaptive.domain.classroom`; the classroom service (``small_groups``, ``peer_pairs``, ``rotation``) reads
their inputs from the store.
"""
