from tests.notify.conftest import day, school  # noqa: F401 - the two-teacher school of the daily-list tests
