"""Which process does a piece of work, and has it ended (issue 14, crash safety).

A job or an import that is "running" records ``host:pid``; after ``kill -9`` nothing marks it
finished, so the next run asks :func:`process_ended`: on the same machine the operating system
knows whether that process still exists; another machine's process is judged by age alone.
"""

from __future__ import annotations

import os
import socket


def this_process() -> str:
    """``host:pid`` of the running process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_ended(mark: object) -> bool:
    """True when ``mark`` (``host:pid``) names a process of this machine that no longer exists;
    False for a living process, another machine's, or no mark at all."""
    host, _, pid = str(mark or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
