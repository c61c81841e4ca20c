"""The minimal bare Django project bench/pages.py compares the portal's pages with.

One view rendering a small template, with Django's security, common, CSRF and clickjacking
middleware only: what any Django page must cost. Served by the same gunicorn settings
(config/gunicorn.py) as the portal. No database, no sessions, no apps.
"""
