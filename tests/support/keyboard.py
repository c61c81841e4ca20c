"""Keyboard-only use of a page: Tab to an element, as a person without a mouse would."""


def tab_to(page, locator, *, limit: int = 60) -> None:
    """Press Tab until `locator` has focus; fail if it is not reachable within `limit` presses."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            return
    raise AssertionError(f"could not reach {locator} with the Tab key")


def press_on(page, locator, key: str = "Enter") -> None:
    tab_to(page, locator)
    page.keyboard.press(key)
