"""The web front end of the tutor: a thin adapter over :class:`adaptive.Tutor` (see docs/web.md).

:func:`webapp.app.create_app` builds the ASGI app; ``adaptive serve web`` runs it with uvicorn.
"""
