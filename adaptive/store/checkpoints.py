"""SQLite WAL checkpoints in a background thread, so that no recorded response waits for one.

In WAL mode SQLite copies the log back into the database file every 1,000 pages by default, inside
whichever commit crosses that line: that commit then takes several times longer than the others (it made
the slowest 1% of single responses 6-7 ms instead of 4). A Tutor on a SQLite file turns that automatic
checkpoint off on its own connections and runs this thread instead: every ``interval`` seconds it runs
``PRAGMA wal_checkpoint(PASSIVE)`` on a connection of its own, which copies what it can without blocking
readers or writers. Closing the Tutor stops the thread after a last checkpoint. Other processes opening
the same file keep SQLite's automatic checkpoints.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class WalCheckpointer:
    """One daemon thread checkpointing one SQLite database file."""

    def __init__(self, path: str | Path, *, interval: float = 0.25):
        self.path = str(path)
        self.interval = interval
        self.checkpoints = 0  # how many ran (for tests and curious operators)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"adaptive-wal-checkpoint:{Path(path).name}",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error:  # the Tutor's own connections report a file they cannot open
            return
        try:
            while not self._stop.wait(self.interval):
                self._checkpoint(conn)
            self._checkpoint(conn)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error:  # e.g. the file was deleted under us: the next commit's own checks will say so
            pass

    def close(self) -> None:
        """Stop after one last checkpoint (waits for it)."""
        self._stop.set()
        self._thread.join()
