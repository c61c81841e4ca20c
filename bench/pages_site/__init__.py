"""Support for bench/pages.py: the portal's settings with one bench-only URL, the logged-in
person it measures with, and the load generator for pages. A sub-package, so `make bench`
(which runs every bench/*.py) does not run it."""
