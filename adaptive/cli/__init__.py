"""The ``adaptive`` command line."""

def main() -> None:
    pass
