"""``adaptive chat``, ``adaptive notify`` and ``adaptive serve slack|teams`` fail in one line naming the database
URL with its password hidden, never a traceback, when the database cannot be opened: a bad URL, an unreachable
host or port, a URL that cannot even be parsed, a missing SQLite folder."""

from __future__ import annotations

import pytest

from tests.cli_run import adaptive

PASSWORD = "s3cretPw"
COMMANDS = {
    "chat": ["chat", "--as", "ana"],
    "notify teachers": ["notify", "teachers", "--platform", "slack"],
    "notify students": ["notify", "students", "--platform", "slack"],
    "serve slack": ["serve", "slack", "--port", "0", "--progress-every", "0", "--weekly-summary", "off"],
    "serve teams": ["serve", "teams", "--port", "39871", "--allow-unauthenticated-for-local-testing"],
}
URLS = {  # what goes wrong -> (URL, how the error shows it)
    "closed port": (f"postgresql+psycopg://tutor:{PASSWORD}@127.0.0.1:1/school",
                    "postgresql+psycopg://tutor:***@127.0.0.1:1/school"),
    "bad port": (f"postgresql+psycopg://tutor:{PASSWORD}@127.0.0.1:notaport/school",
                 "postgresql+psycopg://tutor:***@127.0.0.1:notaport/school"),
    "unknown host": (f"postgresql+psycopg://tutor:{PASSWORD}@no-such-host.invalid/school",
                     "postgresql+psycopg://tutor:***@no-such-host.invalid/school"),
    "no scheme": (f"tutor:{PASSWORD}@db.school.org/school", "tutor:***@db.school.org/school"),
    "not a database adaptive uses": (f"mysql+pymysql://tutor:{PASSWORD}@db/school", "mysql+pymysql://tutor:***@db/school"),
    "an @ in the password": ("postgresql+psycopg://tutor:s3cret@Pw@127.0.0.1:1/school",
                             "postgresql+psycopg://tutor:***@127.0.0.1:1/school"),
    "password as an option": (f"postgresql+psycopg://tutor@127.0.0.1:1/school?password={PASSWORD}",
                              "postgresql+psycopg://tutor@127.0.0.1:1/school?password=***"),
}


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every setting the commands read besides the database, so that the database is what fails."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-secret")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-token")
    for name in ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID", "CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)


def assert_one_line(done, shown: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(f"error: cannot open database {shown}: ")
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert "s3cret" not in done.stdout + done.stderr and "Pw@" not in done.stderr
    assert "endpoint" not in done.stdout  # nothing started


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("problem", URLS)
def test_a_database_that_cannot_be_opened_is_one_line_without_the_password(command: str, problem: str) -> None:
    url, shown = URLS[problem]
    assert_one_line(adaptive("--db", url, *COMMANDS[command], input=""), shown)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_sqlite_folder_is_one_line_naming_it(command: str, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'no such folder' / 'school.db'}"
    assert_one_line(adaptive("--db", url, *COMMANDS[command], input=""), url)
