"""Each person's work, as they open it: the home page and やること show their own tasks, and the
lists they use most (their inbox, the consultations, the system catalog) sort, page and fit the
window at 1366 px and on a 390 px phone. Every page is scanned by axe-core and photographed."""
import re

import pytest

WIDTHS = [(1366, 768), (390, 844)]

# Per demo account: pages of their work, and a phrase their inbox must hold on the demo.
ROLES = {
    "requester": (["/home", "/me/tasks", "/desk/consultations"], None),
    "desk": (["/home", "/me/tasks", "/desk/consultations"], "一次回答"),
    "pm": (["/home", "/me/tasks"], "担当案件"),
    "platform": (["/home", "/me/tasks", "/portfolio", "/portfolio?support=year", "/portfolio?sort=support"], "サポート終了"),
    "chiyoda-admin": (["/home", "/me/tasks"], None),
    "auditor": (["/home", "/me/tasks"], "最近の変更"),
}


def page_width(visitor):
    return visitor.page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("login", list(ROLES))
def test_each_role_sees_its_work_and_no_page_scrolls_sideways(people, login):
    person = people(login)
    paths, phrase = ROLES[login]
    for width, height in WIDTHS:
        person.page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            person.visit(path, f"{width}-{path}")
            assert page_width(person) <= width, f"{path} is {page_width(person)} px wide at {width} px"
    person.visit("/me/tasks", "tasks")
    content = person.page.content()
    assert "やること" in person.page.title()
    if phrase:
        assert phrase in content, f"{login}'s inbox lacks {phrase}"


def test_the_catalog_sorts_from_its_header_and_pages(people):
    platform = people("platform")
    platform.visit("/portfolio", "catalog")
    assert re.search(r"\d+件中 1〜50件を表示", platform.page.content())
    header = platform.page.locator("th", has_text="サポート終了日")
    with platform.page.expect_navigation():
        header.locator("a").click()
    platform.check("catalog-by-support")
    assert header.get_attribute("aria-sort") == "ascending"
    with platform.page.expect_navigation():
        platform.page.click("nav.pager a[rel=next]")
    platform.check("catalog-page-2")
    assert "page=2" in platform.page.url and "sort=support" in platform.page.url


def test_an_inbox_task_leads_to_the_work(people):
    desk = people("desk")
    desk.visit("/me/tasks?module=desk", "desk-tasks")
    first = desk.page.locator("ol.tasks li.task .task-title a").first
    href = first.get_attribute("href")
    with desk.page.expect_navigation():
        first.click()
    desk.check("task-opened")
    assert desk.path() == href.split("#")[0]
