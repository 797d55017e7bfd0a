#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    # Commands (seed, exports, migrations) may rightly run long queries: no statement timeout
    # unless one is asked for (repertoire/settings.py sets 5 s for the web).
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
