"""Support for bench/api.py: a settings module and URLconf used only by that benchmark.

It lives in a sub-package so `make bench` (which runs every bench/*.py) does not run it.
"""
