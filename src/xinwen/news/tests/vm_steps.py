"""What a call costs SQLite, counted in its own units: program steps do not vary with the machine's load."""

from __future__ import annotations

from django.db import connection

__all__ = ["vm_steps"]


def vm_steps(call) -> int:
    """SQLite virtual-machine instructions (in hundreds) that `call` makes the database run."""
    steps = [0]

    def count():
        steps[0] += 1
        return 0

    connection.ensure_connection()
    connection.connection.set_progress_handler(count, 100)
    try:
        call()
    finally:
        connection.connection.set_progress_handler(None, 100)
    return steps[0]
