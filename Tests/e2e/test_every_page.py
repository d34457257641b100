"""Every page each role can reach, found by following links from their home page: no page scrolls
sideways at 1366 px or on a 390 px phone, and axe-core finds nothing on any of them. Pages of the
same shape (one case, another case) are visited once per role — a record's page (a shape with an
id) only by the first role that reaches it, since roles of one tenant see the same layout of it;
downloads and sign-out are not followed."""
import re
import urllib.parse

import pytest
from conftest import ENGINE
from playwright.sync_api import Error as PlaywrightError

ROLES = ["requester", "desk", "pm", "platform", "chiyoda-admin", "auditor", "admin"]
LIMIT = 150  # distinct page shapes per role; the demo has fewer (the administrator reaches about 140)
SKIP = re.compile(r"^/(signout|files/|static/|attachments/)|\.(csv|xlsx|json|zip|pdf|txt|ya?ml)$|/download")
# A path segment with a digit or a hyphen names one record: a uuid, a case number, a slug (tokyo-desk, demo-pm).
ID = re.compile(r"[0-9]|-")
RECORDS = {}  # a record page's shape -> the role that visited it, across the roles of one run


def shape(href):
    """The page's shape: ids in the path become `*`; only which query keys are set counts."""
    parts = urllib.parse.urlsplit(href)
    path = "/".join("*" if ID.search(s) else s for s in parts.path.split("/"))
    keys = sorted({k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)} - {"page"})
    return path + ("?" + "&".join(keys) if keys else "")


def links(visitor):
    return visitor.page.eval_on_selector_all(
        "main a[href^='/']:not([download]), nav a[href^='/']:not([download])",
        "els => els.map(e => e.getAttribute('href'))")


def width(visitor):
    return visitor.page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.skipif(ENGINE == "postgres", reason="layout and accessibility do not depend on the engine; run on SQLite")
@pytest.mark.parametrize("login", ROLES)
def test_every_page_a_role_reaches_fits_and_passes_axe(people, login):
    person = people(login, f"all-{login}")
    queue, seen, wide = ["/home"], {shape("/home")}, []
    tenant = "131016" if login.startswith("chiyoda") else "tokyo"
    visited = 0
    while queue and visited < LIMIT:
        href = queue.pop(0)
        person.page.set_viewport_size({"width": 1366, "height": 768})
        try:
            response = person.page.goto(person.url(href))
        except PlaywrightError as error:  # a link to a file the page offers for download
            assert "Download is starting" in str(error), f"{href}: {error}"
            continue
        visited += 1
        person.check(f"{visited:02d}-{href}", full_page=False)
        assert response is None or response.status < 500, f"{href} answered {response.status}"
        for limit in (1366, 390):
            person.page.set_viewport_size({"width": limit, "height": 844})
            if width(person) > limit:
                wide.append(f"{href} is {width(person)} px at {limit} px")
        for found in links(person):
            path = found.split("#")[0]
            if not path or SKIP.search(urllib.parse.urlsplit(path).path) or shape(path) in seen:
                continue
            seen.add(shape(path))
            if "*" in shape(path):
                if (tenant, shape(path)) in RECORDS:
                    continue
                RECORDS[(tenant, shape(path))] = login
            queue.append(path)
    assert not wide, "\n".join(wide)
    assert visited >= 5, f"{login} reached only {visited} pages"
