"""The Slack adapter: a Bolt app (HTTP mode) over any :class:`bots.core.messages.Conversation`."""
