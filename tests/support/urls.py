"""Every address the URL configuration has, for tests that try them all."""

import re

from django.urls import URLPattern, URLResolver, get_resolver


def every_path() -> list[str]:
    """One concrete path per URL pattern, its parameters filled with a plausible number."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.append(route)

    walk(get_resolver().url_patterns)
    paths = set()
    for route in found:
        path = route.lstrip("^").rstrip("$").replace("\\Z", "")
        path = re.sub(r"<(?:int:)?[a-z_]+>", "1", path)
        path = re.sub(r"<(?:str|slug|path):[a-z_]+>", "x", path)
        path = re.sub(r"\(\?P<slug>([^|)]+)[^)]*\)", r"\1", path)
        path = re.sub(r"\(\?P<method>([^|)]+)[^)]*\)", r"\1", path)
        path = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", "1", path)
        if any(c in path for c in "()[]?*+\\"):
            continue
        paths.add("/" + path)
    return sorted(paths)
