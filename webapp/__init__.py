"""The web app: a thin adapter over :class:`adaptive.Tutor` for teachers, students, curriculum leads and admins."""
