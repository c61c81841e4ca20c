#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.startup import stop_before_command

    # Every missing or invalid setting at once, before a command runs on a stand-in value.
    stop_before_command(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
