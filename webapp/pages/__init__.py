"""The app's pages, one module per audience; each declares its routes in a :class:`webapp.guard.Pages` table
listed by :func:`webapp.app.page_modules`."""
