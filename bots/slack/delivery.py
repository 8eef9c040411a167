"""Sending tutor messages to a Slack conversation: blocks via chat.postMessage, images via files_upload_v2."""

from __future__ import annotations

from slack_sdk import WebClient

from bots.core.messages import Message
from bots.slack import render


def image_filename(message: Message) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in (message.image_title or "image").lower()).strip("-")
    return f"{stem or 'image'}.png"


def upload_image(client: WebClient, message: Message, channel: str | None = None) -> str:
    """Upload ``message.image`` (shared in ``channel`` when given); returns the Slack file id."""
    assert message.image is not None
    done = client.files_upload_v2(channel=channel, file=message.image, filename=image_filename(message),
                                  title=message.image_title or "image")  # fmt: skip
    return done["file"]["id"]


def send(client: WebClient, channel: str, messages: list[Message]) -> None:
    """Post each message in order; a message's image follows it as a file shared in the same channel."""
    for message in messages:
        client.chat_postMessage(channel=channel, text=render.text(message), blocks=render.blocks(message))
        if message.image is not None:
            upload_image(client, message, channel)


def publish_home(client: WebClient, user_id: str, messages: list[Message]) -> None:
    """Publish the user's App Home tab; images are uploaded first and shown as image blocks."""
    file_ids = {n: upload_image(client, message) for n, message in enumerate(messages) if message.image is not None}
    client.views_publish(user_id=user_id, view=render.home_view(messages, file_ids))
