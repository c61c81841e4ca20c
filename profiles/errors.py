"""Outcomes of a change that the pages turn into B1 messages (contact, address, preference)."""


class ContactChangeError(Exception):
    """A change that cannot go ahead; `code` names why, for the page and the tests."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Conflict(Exception):
    """The item changed since the user opened the form (another tab, another person)."""

    def __init__(self, *, current: str, yours: str):
        super().__init__("changed meanwhile")
        self.current = current
        self.yours = yours
