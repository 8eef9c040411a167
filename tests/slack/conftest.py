from slack_helpers import slack  # noqa: F401 - the running Bolt app fixture
from socket_helpers import slack_socket  # noqa: F401 - the Bolt app connected over Socket Mode
