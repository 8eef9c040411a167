"""The use cases, one module per family, each a small class that owns its transactions: ``curriculum``,
``roster``, ``recording``, ``tracing``, ``decisions``, ``conferencing`` (goals and chat identities),
``notifications``, ``classroom``, ``reports`` and ``interop``. They load from the store, let the engines
decide, and write back; :class:`adaptive.Tutor` wires them to one database (``context`` is what they share).
"""
