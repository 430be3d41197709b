"""Small helpers shared by the browser suites."""

from collections.abc import Iterator

from tests.public_pages import PublicPage


class PageProblem(Exception):
    pass


def open_page(page, entry: PublicPage):
    """Load ``entry`` in ``page`` (submitting its form when it says so); return the response."""
    response = page.goto(entry.path)
    if entry.submit is not None:
        form = page.locator("main form[method='post' i]")
        if form.count() == 0:
            raise PageProblem("no POST form to submit")
        for name, value in entry.submit.items():
            field = form.locator(f"[name='{name}']")
            if field.count() == 0:
                raise PageProblem(f"no POST form with a field named {name!r}")
            field.first.fill(value)
        first = form.locator(f"[name='{next(iter(entry.submit))}']").first if entry.submit else None
        with page.expect_navigation() as navigation:
            if first is not None and first.evaluate("(el) => el.tagName") != "TEXTAREA":
                # Enter in a field is how most people submit; a real form submission.
                first.press("Enter")
            else:
                # No field, or a text box where Enter starts a new line: press the button.
                owner = first.locator("xpath=ancestor::form") if first is not None else form.first
                owner.locator("[type=submit], button:not([type])").first.click()
        response = navigation.value
    if response is None:
        raise PageProblem("no response")
    if response.status != entry.status:
        raise PageProblem(f"status {response.status}, expected {entry.status}")
    return response


def visit(page, pages: list[PublicPage], failures: list[str]) -> Iterator[tuple]:
    """Open each page in turn, yielding (entry, response); a page that fails to load is
    recorded in ``failures`` and skipped, so one run reports every page."""
    for entry in pages:
        try:
            response = open_page(page, entry)
        except PageProblem as exc:
            failures.append(f"{entry.label} {entry.path}: {exc}")
            continue
        yield entry, response


def report(title: str, failures: list[str]) -> str:
    return f"{title} ({len(failures)}):\n" + "\n".join(f"- {f}" for f in failures)


def client_fetch(client, entry: PublicPage, **extra):
    """What a visitor gets for ``entry`` from a Django test client: a GET, or the form POST
    that leads to its error state."""
    if entry.submit is not None:
        return client.post(entry.path, data=entry.submit, **extra)
    return client.get(entry.path, **extra)
