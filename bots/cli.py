"""``adaptive chat --as CODE``: the conversation core in the terminal (a plugin of the ``adaptive`` CLI,
registered through the ``adaptive.cli`` entry point group; the conversation core is imported only when the
command runs, so ``adaptive --help`` stays fast)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from bots.core.messages import Message


def render(console: Console, message: Message) -> None:
    """A message as terminal text: title, lines, bars as text bars, link, picture, buttons."""
    from bots.core.views import bar_text

    if message.title:
        console.print(f"[bold]{message.title}[/bold]", highlight=False)
    for line in message.lines:
        console.print(line, markup=False, highlight=False)
    for bar in message.bars:
        console.print("  " + bar_text(bar), markup=False, highlight=False)
    if message.link is not None:
        console.print(f"{message.link[0]}: {message.link[1]}", markup=False, highlight=False)
    if message.image is not None:
        console.print(f"(picture: {message.image_title or 'image'}, {len(message.image)} bytes PNG)",
                      markup=False, highlight=False)
    for b in message.buttons:
        console.print(f"[{b.label}] (type: /{b.action}{' ' + b.value if b.value else ''})", markup=False,
                      highlight=False)
    console.print()


def register(app: typer.Typer) -> None:
    @app.command("chat")
    def chat(
        ctx: typer.Context,
        who: str = typer.Option(..., "--as", help="Code of the student or teacher you chat as."),
        platform: str = typer.Option("local", "--platform", help="Chat platform the user id belongs to."),
        today: str = typer.Option(None, "--today", help="Pretend today is this date (YYYY-MM-DD)."),
    ) -> None:
        """Chat with the tutor in the terminal as a student or teacher (type quit or Ctrl-D to end)."""
        from rich.console import Console

        from adaptive.cli.common import fail, tutor_for
        from bots.core.conversation import TutorConversation
        from bots.core.messages import ChatUser

        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            fail(f"--today: {today!r} is not a date (YYYY-MM-DD)")
        console = Console(highlight=False, soft_wrap=True)
        with tutor_for(ctx) as tutor:
            conversation = TutorConversation(tutor, today=day)
            user = ChatUser(platform, who)
            for message in conversation.home(user):
                render(console, message)
            for line in sys.stdin:
                text = line.strip()
                if text.lower() in {"quit", "exit"}:
                    break
                if not text:
                    continue
                console.print(f"> {text}", markup=False)
                for message in conversation.reply(user, text):
                    render(console, message)
