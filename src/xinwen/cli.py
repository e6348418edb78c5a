"""The `xinwen` command: Django's management commands with xinwen's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if argv and argv[0].endswith("__main__.py"):
        argv[0] = "xinwen"  # `python -m xinwen`: usage messages name the command people type
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
    if len(argv) > 1 and argv[1] in {"demo", "makemessages"}:
        # The demo is a local trial: debug pages and a generated key, never production.
        # makemessages is a developer's tool over the source tree; without settings Django would
        # quietly run its own instead of xinwen's, which reads the Jinja2 templates.
        os.environ.setdefault("DEBUG", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"xinwen: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
