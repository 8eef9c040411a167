from slack_helpers import slack  # noqa: F401 - the running Bolt app fixture
