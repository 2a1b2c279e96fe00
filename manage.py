#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Production unless told otherwise: development settings (DEBUG, a public
    # SECRET_KEY, password login) are chosen explicitly, as `make run` does.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
