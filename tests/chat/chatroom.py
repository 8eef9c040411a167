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
