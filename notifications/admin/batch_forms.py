"""The admin's form to send one message to many people: a CSV file of numbers and the message.

It reads input only; notifications.intake.batches accepts it. The file's rules, as the page says:
one number a line (BSN 9 digits, KvK number 8), optionally after a column with "bsn" or "kvk"
(so a BSN whose leading 0 a spreadsheet dropped is still read as a BSN); separated by comma,
semicolon or tab; a first line with column names is skipped; empty lines and doubles too.
"""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notifications.admin.forms import DoelbindingChoice, _model_field
from notifications.choices import MessageKind
from profiles.choices import IdentityType
from profiles.validators import is_kvk_number, passes_elfproef

EMPTY_FILE = _("The file has no numbers. Choose a file with one number on each line.")
NOT_TEXT = _("We cannot read this file. Save it as CSV (comma or semicolon) and try again.")
MAX_SHOWN = 10  # line errors shown; the rest is counted
_SEPARATORS = re.compile(r"[,;\t]")
_TYPES = {"bsn": IdentityType.BSN, "kvk": IdentityType.KVK}
# A file of numbers is small: 100,000 numbers with a column of types are about 1.5 MB.
BYTES_PER_ROW = 40


def _decoded(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" from a spreadsheet
        return raw.decode("utf-16")
    if b"\x00" in raw:
        raise forms.ValidationError(NOT_TEXT)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # numbers are ASCII in either


def _line_error(line: int, value: str) -> str:
    value = value[:20]
    if value.isdigit() and len(value) == 9:
        return gettext(
            "Line %(line)d: %(value)s is not a valid BSN. Check if you copied it correctly."
        ) % {"line": line, "value": value}
    return gettext(
        "Line %(line)d: “%(value)s” is not a BSN or KvK number. A BSN has 9 digits, a KvK number 8."
    ) % {"line": line, "value": value}


def _number(cells: list[str]) -> tuple[str, str] | None:
    """(type, number) from one line's cells, or None when they are not a valid number."""
    kind = _TYPES.get(cells[0].lower()) if len(cells) > 1 else None
    value = "".join((cells[1] if kind else cells[0]).split())
    if not value.isascii() or not value.isdigit():
        return None
    if kind == IdentityType.BSN and len(value) == 8:
        value = "0" + value  # a spreadsheet dropped the leading 0
    if kind is None:
        kind = IdentityType.BSN if len(value) == 9 else IdentityType.KVK
    valid = passes_elfproef(value) if kind == IdentityType.BSN else is_kvk_number(value)
    return (str(kind), value) if valid else None


def numbers_from_csv(raw: bytes, *, max_rows: int) -> tuple[list[tuple[str, str, str]], int]:
    """The numbers in the file, in order and each once, with how many doubles were left out.
    Raises ValidationError with a message per wrong line (at most MAX_SHOWN, then a count)."""
    if len(raw) > max_rows * BYTES_PER_ROW:
        raise forms.ValidationError(_too_many(max_rows))
    lines = _decoded(raw).splitlines()
    numbers: dict[tuple[str, str, str], None] = {}
    errors, rows = [], 0
    for line_number, line in enumerate(lines, start=1):
        cells = [c.strip().strip('"').strip() for c in _SEPARATORS.split(line)]
        if not any(cells):
            continue
        found = _number(cells)
        if found is None:
            if line_number == 1 and any(c.isalpha() for c in line):
                continue  # column names
            errors.append(_line_error(line_number, cells[1] if len(cells) > 1 else cells[0]))
            continue
        rows += 1
        if rows > max_rows:
            raise forms.ValidationError(_too_many(max_rows))
        numbers[(*found, "")] = None
    if errors:
        shown = errors[:MAX_SHOWN]
        if len(errors) > MAX_SHOWN:
            more = len(errors) - MAX_SHOWN
            shown.append(
                ngettext(
                    "And %(count)d more line with an error.",
                    "And %(count)d more lines with an error.",
                    more,
                )
                % {"count": more}
            )
        raise forms.ValidationError(shown)
    if not numbers:
        raise forms.ValidationError(EMPTY_FILE)
    return list(numbers), rows - len(numbers)


def _too_many(max_rows: int) -> str:
    return gettext("The file has more than %(max)s numbers. Split the numbers over more files.") % {
        "max": f"{max_rows:,}".replace(",", ".")
    }


class BatchUploadForm(forms.Form):
    FIELDS = ["numbers_file", "doelbinding", "kind", "subject", "body", "link", "case_reference"]

    numbers_file = forms.FileField(
        label=_("File with numbers (CSV)"),
        help_text=_(
            "One BSN or KvK number on each line. A first line with column names is allowed. "
            "Does a BSN start with 0? Put bsn in front of it, for example: bsn;012345672."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )
    doelbinding = DoelbindingChoice(label=_("Purpose (doelbinding)"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind of message"),
        choices=[(k.value, k.label) for k in MessageKind if k != MessageKind.SECURITY],
    )
    subject = _model_field("subject")
    body = _model_field("body", widget=forms.Textarea(attrs={"rows": 8, "cols": 60}))
    link = _model_field("link", assume_scheme="https")
    case_reference = _model_field("case_reference")

    def __init__(self, *args, doelbindingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doelbinding"].queryset = doelbindingen
        self.fields["numbers_file"].error_messages["required"] = EMPTY_FILE
        self.fields["numbers_file"].error_messages["empty"] = EMPTY_FILE

    def clean_numbers_file(self):
        upload = self.cleaned_data["numbers_file"]
        max_rows = settings.NOTIFICATION_BULK_UPLOAD_MAX_ROWS
        if upload.size > max_rows * BYTES_PER_ROW:
            raise forms.ValidationError(_too_many(max_rows))
        numbers, doubles = numbers_from_csv(upload.read(), max_rows=max_rows)
        self.doubles = doubles
        return numbers
