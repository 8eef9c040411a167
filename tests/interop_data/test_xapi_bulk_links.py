"""An admin links a whole LMS's xAPI actors to the roster at once: by the roster's e-mail addresses, or from a
CSV file of actor,student rows; and an import names each unknown activity and actor once, with its count.

The roster is the Lincoln Middle School export of docs/first-morning.md (tests/first_morning/lincoln): six
Grade 6 students, Eli and Fay Moss sharing their family's address, and their teacher Rosa Rivera."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from adaptive.interop.xapi import XapiError, ascii_lower
from tests.cli_run import adaptive
from tests.conftest import sql

LINCOLN = Path(__file__).resolve().parents[1] / "first_morning" / "lincoln"
LMS = "https://lms.lincoln.example"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def statement(actor: dict, activity: str = "ratio-tables", success: bool = True, n: int = 0) -> dict:
    return {"id": f"0b6f0e2c-1111-4222-8333-{n:012d}", "actor": actor, "verb": {"id": ANSWERED},
            "object": {"id": f"{LMS}/activities/{activity}"}, "result": {"success": success},
            "timestamp": "2026-09-08T13:05:00-04:00"}  # fmt: skip


def write_statements(path: Path, actors: list[dict], **kw) -> Path:
    path.write_text(json.dumps([statement(a, n=n, **kw) for n, a in enumerate(actors)]))
    return path


def mbox(address: str) -> dict:
    return {"mbox": f"mailto:{address}"}


def account(name: str) -> dict:
    return {"account": {"homePage": LMS, "name": name}}


def set_up_lincoln(url: str) -> None:
    """Lincoln's roster, and its LMS activities tagged to the ratios standards, in the database at ``url``."""
    from adaptive import Tutor

    with Tutor(url) as tutor:
        tutor.import_roster(LINCOLN / "sis-export")
        tutor.import_case(LINCOLN / "ratios-framework.json", course_code="MATH-6")
        tutor.import_item_bank(LINCOLN / "lms-activities.csv")


@pytest.fixture(scope="module")
def lincoln_sqlite(tmp_path_factory) -> Path:
    """Lincoln set up once in a SQLite file that each SQLite test copies."""
    path = tmp_path_factory.mktemp("lincoln") / "lincoln.db"
    set_up_lincoln(f"sqlite:///{path}")
    return path


@pytest.fixture
def lincoln(database_url, lincoln_sqlite):
    """A tutor with Lincoln's roster and activities (a copy of the module's SQLite file, or set up afresh)."""
    from adaptive import Tutor

    if database_url.startswith("sqlite:///"):
        shutil.copyfile(lincoln_sqlite, database_url.removeprefix("sqlite:///"))
    else:
        set_up_lincoln(database_url)
    with Tutor(database_url) as tutor:
        yield tutor


def links(database_url: str) -> dict[str, str]:
    rows = sql(database_url, "SELECT a.ifi, s.code FROM xapi_actor a JOIN student s ON s.id = a.student_id")
    return dict(rows)


def test_every_actor_with_a_students_roster_e_mail_is_linked_in_one_go(lincoln, tmp_path, database_url):
    feed = write_statements(tmp_path / "feed.json", [
        mbox("Ana.Lima@LINCOLN.example"),  # the LMS kept the capitals the student typed
        account("dev.patel@lincoln.example"),  # an LMS that names accounts by e-mail
        mbox("carla.diaz@lincoln.example"),
    ])  # fmt: skip
    report = lincoln.link_xapi_actors_by_email(feed)
    assert report.linked == (
        (f"account:{LMS}|dev.patel@lincoln.example", "dev.patel"),
        ("mailto:ana.lima@lincoln.example", "ana.lima"),
        ("mailto:carla.diaz@lincoln.example", "carla.diaz"),
    )
    assert (report.actors, report.unchanged, report.unmatched, report.shared_emails) == (3, 0, (), ())
    assert links(database_url) == dict(report.linked)
    # Their answers now count as theirs.
    assert lincoln.import_xapi(feed).recorded == 3


def test_an_e_mail_two_students_share_links_neither_and_is_reported(lincoln, tmp_path, database_url):
    feed = write_statements(tmp_path / "feed.json", [mbox("Moss.Family@example.com"), mbox("ben.ode@lincoln.example")])
    report = lincoln.link_xapi_actors_by_email(feed)
    assert report.linked == (("mailto:ben.ode@lincoln.example", "ben.ode"),)
    (shared,) = report.shared_emails
    assert (shared.email, shared.students, shared.actors) == (
        "moss.family@example.com", ("eli.moss", "fay.moss"), ("mailto:moss.family@example.com",))
    assert "mailto:moss.family@example.com" not in links(database_url)
    # Importing does not guess either: the family address's answers are nobody's until linked by hand.
    imported = lincoln.import_xapi(feed)
    assert imported.distinct_unknown_actors == {"mailto:moss.family@example.com": 1}


def test_a_look_alike_address_is_not_folded_into_a_students(lincoln, tmp_path, database_url):
    kelvin = "\u212a"  # KELVIN SIGN: Python's lower() makes it a plain k
    assert kelvin.lower() == "k" and ascii_lower(kelvin) == kelvin
    roster_address = "ben.ode@lincoln.example".replace("b", "B")
    lincoln.add_student("kim.vo", "Kim Vo", email="kim.vo@lincoln.example")
    lincoln.add_student("asa.berg", "Åsa Berg", email="Åsa.Berg@lincoln.example")
    feed = write_statements(tmp_path / "feed.json", [
        mbox(f"{kelvin}im.vo@lincoln.example"), mbox(roster_address),
        mbox("Åsa.BERG@lincoln.example"),  # the same Å: only B-E-R-G changed case
        mbox("åsa.berg@lincoln.example"),  # another letter: å is not Å
    ])  # fmt: skip
    report = lincoln.link_xapi_actors_by_email(feed)
    assert report.linked == (("mailto:ben.ode@lincoln.example", "ben.ode"),
                             ("mailto:Åsa.berg@lincoln.example", "asa.berg"))  # fmt: skip
    assert report.unmatched == ("mailto:åsa.berg@lincoln.example", f"mailto:{kelvin}im.vo@lincoln.example")
    assert lincoln.import_xapi(feed).distinct_unknown_actors == {"mailto:åsa.berg@lincoln.example": 1,
                                                                 f"mailto:{kelvin}im.vo@lincoln.example": 1}


def test_links_made_before_are_kept_and_teachers_are_named(lincoln, tmp_path, database_url):
    lincoln.link_xapi_actor("ana.lima@lincoln.example", "dev.patel")  # the admin knows something we don't
    feed = write_statements(tmp_path / "feed.json", [
        mbox("ana.lima@lincoln.example"), mbox("rosa.rivera@lincoln.example"), account("emoss")])  # fmt: skip
    report = lincoln.link_xapi_actors_by_email(feed)
    assert (report.linked, report.unchanged) == ((), 1)
    assert report.teachers == (("mailto:rosa.rivera@lincoln.example", "rosa.rivera"),)
    assert report.unmatched == (f"account:{LMS}|emoss",)
    assert links(database_url) == {"mailto:ana.lima@lincoln.example": "dev.patel"}
    again = lincoln.link_xapi_actors_by_email(feed)
    assert (again.linked, again.unchanged) == ((), 1)


def test_a_links_file_links_every_row_and_replaces_earlier_links(lincoln, tmp_path, database_url):
    lincoln.link_xapi_actor(f"account:{LMS}|emoss", "fay.moss")  # a mistake, corrected by the file
    table = tmp_path / "accounts.csv"
    table.write_text(f"student,actor\r\neli.moss,account:{LMS}|emoss\r\nfay.moss,account:{LMS}|fmoss\r\n\r\n"
                     "ben.ode,Ben.Ode@lincoln.example\r\n")  # fmt: skip
    report = lincoln.link_xapi_actors_from_csv(table)
    assert (report.actors, report.replaced, report.unchanged) == (3, 1, 0)
    assert links(database_url) == {f"account:{LMS}|emoss": "eli.moss", f"account:{LMS}|fmoss": "fay.moss",
                                   "mailto:ben.ode@lincoln.example": "ben.ode"}  # fmt: skip
    assert lincoln.link_xapi_actors_from_csv(table).unchanged == 3


def test_a_links_file_with_problems_names_each_line_and_links_nobody(lincoln, tmp_path, database_url):
    table = tmp_path / "accounts.csv"
    table.write_text("actor,student\n"
                     f"account:{LMS}|emoss,eli.moss\n"  # fine, but not written: all or nothing
                     "emoss,fay.moss\n"  # not an actor
                     f"account:{LMS}|fmoss,\n"  # no student
                     f"account:{LMS}|jdoe,john.doe\n"  # no such student
                     f"account:{LMS}|emoss,fay.moss\n")  # one actor, two students  # fmt: skip
    with pytest.raises(XapiError) as caught:
        lincoln.link_xapi_actors_from_csv(table)
    assert [p.split(": ", 1)[0] for p in caught.value.problems] == [f"{table}:{n}" for n in (3, 4, 5, 6)]
    assert "unknown actor form 'emoss'" in caught.value.problems[0]
    assert caught.value.problems[1].endswith("student is empty")
    assert caught.value.problems[2].endswith("unknown student 'john.doe'")
    assert "linked to 'eli.moss' at" in caught.value.problems[3]
    assert links(database_url) == {}
    table.write_text("who,student\nemoss,eli.moss\n")
    with pytest.raises(XapiError, match=":1: missing column 'actor'"):
        lincoln.link_xapi_actors_from_csv(table)


def test_an_import_names_each_unknown_activity_and_actor_once_with_how_many_statements(lincoln, tmp_path):
    actors = [mbox("ana.lima@lincoln.example")] * 5 + [mbox("rosa.rivera@lincoln.example")] * 2
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(
        [statement(a, activity="exit-ticket", n=n) for n, a in enumerate(actors)]
        + [statement(mbox("ana.lima@lincoln.example"), activity="survey", n=100),
           statement(mbox("ana.lima@lincoln.example"), n=101)]))  # fmt: skip
    report = lincoln.import_xapi(feed)
    assert report.recorded == 1 and len(report.unknown_items) == 8
    assert report.distinct_unknown_items == {f"{LMS}/activities/exit-ticket": 7, f"{LMS}/activities/survey": 1}
    assert report.distinct_unknown_actors == {"mailto:rosa.rivera@lincoln.example": 2}
    assert report.to_dict()["distinct_unknown_items"] == report.distinct_unknown_items


def test_the_command_line_prints_each_unknown_once_and_links_in_bulk(lincoln, tmp_path, database_url):
    many = [statement(mbox(f"guest{n % 15}@lincoln.example"), activity=f"quiz-{n % 12}", n=n) for n in range(1520)]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(many))
    done = adaptive("--db", database_url, "xapi", "import", feed)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "12 unknown activities (1520 statements)" in out and f"{LMS}/activities/quiz-0 (127 statements)" in out
    assert "    ... 2 more (--json lists all)" in out and "unknown item at" not in out
    assert "15 unknown actors (1520 statements)" in out and "mailto:guest0@lincoln.example (102 statements)" in out

    table = tmp_path / "links.csv"
    table.write_text(f"actor,student\naccount:{LMS}|emoss,eli.moss\n")
    done = adaptive("--db", database_url, "xapi", "link-csv", table)
    assert (done.returncode, done.stdout) == (0, f"{table}: 1 actors: 1 linked (0 replacing an earlier link), "
                                                 "0 already linked so\n")  # fmt: skip
    table.write_text("actor,student\nemoss,eli.moss\n")
    done = adaptive("--db", database_url, "xapi", "link-csv", table)
    assert done.returncode == 1 and f"{table}:2: unknown actor form 'emoss'" in done.stderr
    done = adaptive("--db", database_url, "xapi", "link-by-email", feed, "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["actors"] == 15


def test_linking_1000_actors_by_e_mail_and_from_a_file(tutor, tmp_path, database_url, capsys):
    """How long a school of 1,000 LMS actors takes to link (printed, never asserted: run with -s to see)."""
    from adaptive.domain import Student

    tutor.add_students([Student(f"s{n:04d}", f"Student {n}", f"s{n:04d}@school.example") for n in range(1000)])
    feed = write_statements(tmp_path / "feed.json", [mbox(f"S{n:04d}@school.example") for n in range(1000)])
    started = time.perf_counter()
    report = tutor.link_xapi_actors_by_email(feed)
    by_email = time.perf_counter() - started
    assert len(report.linked) == 1000
    table = tmp_path / "links.csv"
    table.write_text("actor,student\n" + "".join(f"account:{LMS}|u{n},s{n:04d}\n" for n in range(1000)))
    started = time.perf_counter()
    assert len(tutor.link_xapi_actors_from_csv(table).linked) == 1000
    from_csv = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n1,000 xAPI actors linked ({database_url.split(':', 1)[0]}): by roster e-mail {by_email:.2f} s, "
              f"from a CSV file {from_csv:.2f} s")


def test_the_unknowns_are_written_as_files_to_complete_then_read_back(lincoln, tmp_path, database_url):
    actors = [{"name": "=HYPERLINK(\"x\")", **account("guest")}, {"name": "Eli Moss", **account("emoss")}]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(
        [statement(actors[1], activity="quizzes/7/", n=1), statement(actors[1], activity="quizzes/7/", n=2),
         statement(actors[0], n=3), statement(actors[1], activity="other/7", n=4)]))  # fmt: skip
    to_link, to_tag = tmp_path / "to-link.csv", tmp_path / "to-tag.csv"
    done = adaptive("--db", database_url, "xapi", "import", feed, "--unknown-actors", to_link,
                    "--unknown-activities", to_tag)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"unknown actors written to {to_link}: complete it, then adaptive xapi link-csv {to_link}" in done.stdout
    assert to_link.read_text() == ("actor,student,name,statements\n"
                                   f"account:{LMS}|emoss,,Eli Moss,3\n"  # a name is never a formula:
                                   f"account:{LMS}|guest,,\"'=HYPERLINK(\"\"x\"\")\",1\n")  # fmt: skip
    assert to_tag.read_text() == ("code,title,competencies,kind,url\n"
                                  f"7,,,,{LMS}/activities/quizzes/7/\n7-2,,,,{LMS}/activities/other/7\n")  # fmt: skip
    # Left as written, both are refused whole, line by line; completed, both are read.
    assert "to-link.csv:2: student is empty" in adaptive("--db", database_url, "xapi", "link-csv", to_link).stderr
    to_link.write_text(to_link.read_text().replace(",,Eli", ",eli.moss,Eli").replace(f"account:{LMS}|guest", "#"))
    to_link.write_text("".join(line for line in to_link.read_text().splitlines(True) if not line.startswith("#")))
    assert adaptive("--db", database_url, "xapi", "link-csv", to_link).returncode == 0
    to_tag.write_text(to_tag.read_text().replace("7,,,,", "quiz-7,Quiz 7,6.RP.A.1,assessment,")
                      .replace("7-2,,,,", "other-7,Other 7,6.RP.A.2,,"))  # fmt: skip
    assert adaptive("--db", database_url, "curriculum", "import-items", to_tag).returncode == 0
    again = lincoln.import_xapi(feed)
    assert (again.recorded, again.distinct_unknown_items, again.distinct_unknown_actors) == (
        3, {}, {f"account:{LMS}|guest": 1})
