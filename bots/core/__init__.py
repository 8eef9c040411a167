"""The conversation core: what students and teachers can say to the tutor and what it answers, with no chat
SDK imported. Platform adapters (Slack, Teams, the terminal) turn their input into these calls and the
platform-neutral :mod:`bots.core.messages` into their own formats."""
