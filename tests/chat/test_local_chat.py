"""``adaptive chat --as CODE``: the same conversation in the terminal, read from stdin until quit."""

from typer.testing import CliRunner

from adaptive.cli import app


def test_a_student_chats_in_the_terminal(classroom, database_url):
    result = CliRunner().invoke(app, ["--db", database_url, "chat", "--as", "ana", "--today", "2025-12-03"],
                                input="I want to master fractions by Friday\n/goals\nquit\nhow am I doing\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Progress: Ana Diaz\n")  # the home dashboard first
    assert "> I want to master fractions by Friday\nGoal set\n#1 Master Divide fractions by fractions" in out
    assert "[What next?] (type: /next)" in out
    assert "> /goals\nYour goals\n#1 Master Divide fractions by fractions (6.NS.1), by Friday December 5" in out
    assert "> how am I doing" not in out  # stopped at quit


def test_a_teacher_chats_in_the_terminal(classroom, database_url):
    result = CliRunner().invoke(app, ["--db", database_url, "chat", "--as", "t-rivera", "--today", "2025-12-03"],
                                input="/groups\n")
    assert result.exit_code == 0, result.output
    assert "(picture: p3 mastery heatmap" in result.output
    assert "> /groups\nSmall groups p3, Wed Dec 3\n" in result.output


def test_someone_unknown_is_not_linked(classroom, database_url):
    result = CliRunner().invoke(app, ["--db", database_url, "chat", "--as", "zed"], input="/progress ana\n")
    assert result.exit_code == 0
    assert result.output.count("Not linked") == 2 and "Ana" not in result.output


def test_a_bad_date_is_refused(classroom, database_url):
    result = CliRunner().invoke(app, ["--db", database_url, "chat", "--as", "ana", "--today", "friday"])
    assert result.exit_code == 2 and "--today: 'friday' is not a date" in result.output
