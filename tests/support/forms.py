"""Find every form a visitor, a person or a staff member can reach, by following the links of the
pages themselves (the admin's changelists lead to its change forms), for tests that send them
bad input."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Never followed: leaving (the session would end; the page a timed-out session goes to ends it
# too), deleting (the objects the other forms need), the API's documents (no forms) and files.
SKIPPED = (
    "/uitloggen",
    "/sessie-verlopen",
    "/beheer/logout/",
    "/delete/",
    "/api/",
    "/static/",
    "/taal",
)


@dataclass(frozen=True)
class Form:
    action: str  # a path on this site
    fields: tuple[tuple[str, str], ...]  # (name, kind): an input's type, "select", "textarea"
    multipart: bool


class _Page(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.links: set[str] = set()
        self.forms: list[Form] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(urljoin(self.url, attrs["href"]))
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            action = urljoin(self.url, attrs.get("action") or self.url)
            multipart = (attrs.get("enctype") or "").startswith("multipart/")
            self._form = {"action": action, "fields": {}, "multipart": multipart}
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                kind = attrs.get("type", "text") if tag == "input" else tag
                self._form["fields"].setdefault(name, kind)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            action = urlsplit(self._form["action"])
            if action.netloc in ("", "testserver"):
                path = action.path + (f"?{action.query}" if action.query else "")
                fields = tuple(sorted(self._form["fields"].items()))
                self.forms.append(Form(path, fields, self._form["multipart"]))
            self._form = None


def reachable_forms(client, start: list[str], *, max_pages: int = 400) -> tuple[set[Form], int]:
    """Every POST form on the pages reachable from `start` by links (same site, skipping
    SKIPPED), and how many pages were read. Query strings are dropped from links (a
    changelist's filters and sort orders are one page here)."""
    seen: set[str] = set()
    todo = list(start)
    forms: set[Form] = set()
    while todo and len(seen) < max_pages:
        path = todo.pop(0)
        if path in seen or any(part in path for part in SKIPPED):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page(f"http://testserver{path}")
        page.feed(response.content.decode(errors="replace"))
        forms.update(page.forms)
        for link in page.links:
            parts = urlsplit(link)
            if parts.netloc == "testserver" and parts.path not in seen:
                todo.append(parts.path)
    return forms, len(seen)
