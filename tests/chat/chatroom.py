"""What the chat tests share: the fixed today and the chat users of the classroom fixture."""

import datetime as dt

from bots.core.messages import ChatUser

TODAY = dt.date(2025, 12, 3)  # a Wednesday
ANA = ChatUser("slack", "U-ANA", email="ANA.DIAZ@school.org")
RIVERA = ChatUser("slack", "U-RIVERA", email="rivera@school.org")
OKAFOR = ChatUser("slack", "U-OKAFOR", email="okafor@school.org")


def said(messages) -> str:
    """Everything the messages say, as plain text."""
    return "\n".join(m.text for m in messages)


class Mailbox:
    """A courier for progress updates that keeps what it is given: students are reached at their roster
    e-mail, except those in ``unreachable``; while ``down`` is set, sending raises as a platform outage would."""

    platform = "slack"

    def __init__(self, unreachable: tuple[str, ...] = ()) -> None:
        self.unreachable = set(unreachable)
        self.down = False
        self.delivered: list[tuple[str, str]] = []  # (e-mail, title or first line)

    def address(self, student):
        if student.code in self.unreachable or not student.email:
            return None, "no chat account"
        return student.email, ""

    def send(self, where, messages) -> None:
        if self.down:
            raise ConnectionError("the platform is down")
        self.delivered += [(where, m.title or m.text.splitlines()[0]) for m in messages]

    def titles(self) -> list[str]:
        got = [title for _, title in self.delivered]
        self.delivered.clear()
        return got
