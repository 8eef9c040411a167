"""The Microsoft Teams adapter (Teams SDK v2, ``microsoft-teams-apps``) over the conversation core."""
