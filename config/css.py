"""The portal's stylesheet, minified and inlined in every page (issue 17).

static/css/portal.css is the source people edit; static/css/portal.min.css is made from it by
`python -m config.css` and committed (tests/test_css.py fails when the two are out of step). The
minified text goes inline in a <style> element in every page's head, so the first page paints
without waiting for a stylesheet; the Content-Security-Policy allows exactly that text by its
hash, nothing else inline. No third-party code: the minifier is the few lines below.
"""

import base64
import hashlib
import re
import sys
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
SOURCE = STATIC / "css" / "portal.css"
MINIFIED = STATIC / "css" / "portal.min.css"

# Strings are kept as they are; comments go; everything else is squeezed.
_TOKENS = re.compile(r'("(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\')|(/\*.*?\*/)', re.S)
_AROUND = re.compile(r"\s*([{};,>])\s*")


def minify(css: str) -> str:
    # First the comments out (a comment between two declarations would keep their spaces
    # apart), then squeeze what lies between the strings.
    kept = "".join(p for p in _TOKENS.split(css) if p is not None and not p.startswith("/*"))
    parts = [
        piece if piece[:1] in ("'", '"') else _squeeze(piece)
        for piece in _TOKENS.split(kept)
        if piece
    ]
    return "".join(parts).strip().replace(";}", "}")


def _squeeze(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = _AROUND.sub(r"\1", text)
    # "name: value" inside a block; a selector's " :focus" keeps its space (it is not ": ").
    return text.replace(": ", ":")


def inline_hash(css: str) -> str:
    """The CSP source that allows exactly this text in a <style> element."""
    digest = hashlib.sha256(css.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def minified() -> str:
    return MINIFIED.read_text(encoding="utf-8")


def write_minified() -> int:
    text = minify(SOURCE.read_text(encoding="utf-8"))
    MINIFIED.write_text(text, encoding="utf-8")
    return len(text.encode())


if __name__ == "__main__":
    size = write_minified()
    sys.stdout.write(f"{MINIFIED.relative_to(STATIC.parent)}: {size:,} bytes\n")
