"""What axe-core cannot see, checked on every page state a crawl visits.

crawl = Crawl(page, language, axe); ...; crawl.check("state name"); ...; assert crawl.problems == []

Per state: zero axe-core violations; the h1 before any other heading of the content (an error
summary's h2 comes after it); back links that say where they go; no sideways scrolling at
320 px (WCAG 1.4.10); on an English page every piece of organisation text carries lang="nl"
(3.1.2); on a Dutch page no word from docs/b1-words.md that the portal avoids, and the words it
explains only where the explanation is. After the crawl, `titles_shared_between_pages()`
lists titles two pages share (2.4.2: each title names its flow).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
B1_WORDS = REPO / "docs" / "b1-words.md"
NARROW = {"width": 320, "height": 640}
# A back link says where it goes (components/back_link.html), never a bare "Terug".
BACK = {"nl": "Terug naar ", "en": "Back to "}
WIDE = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class B1Word:
    word: str
    explain: bool  # False: the portal avoids the word on its Dutch pages
    recognised_by: str  # the words of the explanation that must stand beside it


def b1_words(path: Path = B1_WORDS) -> list[B1Word]:
    """The table in docs/b1-words.md: | `word` | avoid/explain | what we do | `recognised by` |."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        rule = cells[1].lower()
        assert rule in {"vermijden", "uitleggen"}, line
        words.append(B1Word(cells[0].strip("`"), rule == "uitleggen", cells[3].strip("`")))
    return words


# Text nodes of the body (also visually hidden and closed-dialog text: a screen reader reads it
# too) with the language they are in, per the nearest lang attribute.
_TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, template") || !node.data.trim()) continue;
    const owner = el.closest("[lang]");
    found.push({el, text: node.data, lang: owner ? owner.getAttribute("lang") : ""});
  }
  return found;
}"""

_UNMARKED_ORGANISATION_TEXT = f"""(fragments) => {{
  const texts = ({_TEXTS})();
  const out = [];
  for (const {{el, text, lang}} of texts) {{
    const clean = text.replace(/\\s+/g, " ");
    if (fragments.some(f => clean.includes(f)) && !lang.startsWith("nl")) {{
      out.push(`${{el.tagName.toLowerCase()}}: ${{clean.trim()}}`);
    }}
  }}
  return out;
}}"""

# "Explained": inside <abbr title>, inside <details> (the reference a person opens when they
# want it), or the explanation's words stand in the same unit (list item, paragraph, table
# cell, summary-list row, form field; a <dt> with its <dd>) or in what aria-describedby names.
_B1_PROBLEMS = f"""(words) => {{
  const texts = ({_TEXTS})();
  const out = [];
  const unitText = (el) => {{
    const unit = el.closest(".summary-list__row, .form-field") ||
      el.closest("li, p, td, th, dd, dt, caption, legend, label");
    let text = unit ? unit.textContent : el.textContent;
    if (unit && unit.tagName === "DT" && unit.nextElementSibling) {{
      text += " " + unit.nextElementSibling.textContent;
    }}
    const described = el.closest("[aria-describedby]");
    if (described) {{
      for (const id of described.getAttribute("aria-describedby").split(/\\s+/)) {{
        const hint = document.getElementById(id);
        if (hint) text += " " + hint.textContent;
      }}
    }}
    return text.replace(/\\s+/g, " ").toLowerCase();
  }};
  const explained = (el, word) => {{
    const abbr = el.closest("abbr[title]");
    if (abbr && abbr.title.trim()) return true;
    if (el.closest("details")) return true;
    return unitText(el).includes(word.recognised_by.toLowerCase());
  }};
  for (const {{el, text, lang}} of texts) {{
    // Other languages, and code (the API's field names on its documentation page) are not prose.
    if ((lang && !lang.startsWith("nl")) || el.closest("code, pre")) continue;
    for (const word of words) {{
      const escaped = word.word.replace(/[.*+?^${{}}()|[\\]\\\\]/g, "\\\\$&");
      if (!new RegExp("(^|[^\\\\p{{L}}])" + escaped, "iu").test(text)) continue;
      if (!word.explain) {{
        out.push(`"${{word.word}}" (avoided word) in: ${{text.trim()}}`);
      }} else if (!explained(el, word)) {{
        const missing = `"${{word.word}}" without "${{word.recognised_by}}" beside it`;
        out.push(`${{missing}} in: ${{text.trim()}}`);
      }}
    }}
  }}
  return out;
}}"""


# The elements that reach furthest to the right: where to look when a page is too wide.
_TOO_WIDE = """(width) => [...document.body.querySelectorAll("*")]
  .map(el => [el.getBoundingClientRect().right, el])
  .filter(([right]) => right > width + 0.5)
  .sort((a, b) => b[0] - a[0])
  .slice(0, 3)
  .map(([right, el]) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(right)} px)`)"""


def b1_problems(page, words: list[B1Word] | None = None) -> list[str]:
    """Avoided words, and explained words without their explanation, on the page as it is."""
    words = b1_words() if words is None else words
    return page.evaluate(_B1_PROBLEMS, [vars(word) for word in words])


def route_of(url: str) -> str:
    """The page a URL shows, whatever record it shows: /berichten/12 and /berichten/7 are one."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", urlsplit(url).path)


@dataclass
class Crawl:
    page: object
    language: str
    axe: object
    organisation_texts: list[str] = field(default_factory=list)
    words: list[B1Word] = field(default_factory=b1_words)
    problems: list[str] = field(default_factory=list)
    titles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    states: int = 0

    def check(self, state: str) -> None:
        page = self.page
        page.wait_for_load_state()
        self.states += 1
        where = f"{self.language} {state} ({route_of(page.url)})"
        if page.locator("html").get_attribute("lang") != self.language:
            self.problems.append(f"{where}: page not in {self.language}")
        self.titles[page.title()].add(route_of(page.url))
        self.problems += [f"{where}: axe {line}" for line in self.axe(page)]
        headings = page.locator("main :is(h1, h2, h3, h4)").evaluate_all(
            "hs => hs.map(h => h.tagName.toLowerCase())"
        )
        if headings and headings[0] != "h1":
            self.problems.append(f"{where}: the first heading in main is {headings[0]}, not h1")
        for text in page.locator("main .back-link a").all_inner_texts():
            if not text.startswith(BACK[self.language]):
                self.problems.append(f"{where}: back link {text!r} does not say where it goes")
        self.problems += [f"{where}: {line}" for line in self.reflow_problems()]
        if self.language == "nl":
            self.problems += [f"{where}: B1 {p}" for p in b1_problems(page, self.words)]
        elif self.organisation_texts:
            unmarked = page.evaluate(_UNMARKED_ORGANISATION_TEXT, self.organisation_texts)
            self.problems += [f"{where}: organisation text without lang: {u}" for u in unmarked]

    def reflow_problems(self) -> list[str]:
        page = self.page
        page.set_viewport_size(NARROW)
        try:
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate(_TOO_WIDE, NARROW["width"]) if width > NARROW["width"] else []
        finally:
            page.set_viewport_size(WIDE)
        if width > NARROW["width"]:
            return [f"{width} px wide at {NARROW['width']} px (scrolls sideways): {wide}"]
        return []

    def titles_shared_between_pages(self) -> dict[str, set[str]]:
        return {title: routes for title, routes in self.titles.items() if len(routes) > 1}
