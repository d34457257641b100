"""Keyboard only: the intake form and the triage queue can be used without a mouse, focus
is always visible, and errors are announced and lead to their fields."""

FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), html: e.outerHTML.slice(0, 160),
          visible: s.outlineStyle !== 'none' && s.outlineWidth !== '0px'};
}"""


def tab_through(page, limit=120):
    """Every element Tab reaches, in order, with whether its focus is visible."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body":
            break
        key = (focused["tag"], focused["id"], focused["html"])
        if seen and key == seen[0][0]:
            break
        seen.append((key, focused["visible"]))
    return seen


def test_the_intake_form_works_from_the_keyboard(people):
    requester = people("requester")
    requester.visit("/desk/consultations/new", "keyboard-intake")
    reached = tab_through(requester.page)
    ids = {key[1] for key, _ in reached}
    for control in ["f-title", "f-summary", "f-orgUnitId", "f-contactsOther", "f-phase"]:
        assert control in ids, f"{control} not reachable by Tab: {ids}"
    # Colleagues offered as contacts are checkboxes reached by Tab too.
    colleagues = requester.page.locator("input[name=contacts]").count()
    assert colleagues == 0 or any('name="contacts"' in key[2] for key, _ in reached), "colleague checkboxes not reachable"
    assert all(visible for _, visible in reached), [key for key, visible in reached if not visible]

    # Submit the empty form with the keyboard: the summary is announced and links to each field.
    requester.page.focus("#f-title")
    with requester.page.expect_navigation():
        requester.page.keyboard.press("Enter")
    requester.check("keyboard-intake-errors")
    summary = requester.page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a")
    assert links.count() >= 2
    first = links.first.get_attribute("href")
    field = requester.page.locator(first)
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby")
    assert described and requester.page.locator(f"#{described.split()[0]}").inner_text()
    # Following the link with Enter puts the focus on the field.
    links.first.focus()
    requester.page.keyboard.press("Enter")
    assert requester.page.evaluate("document.activeElement.id") == first.lstrip("#")

    # Filling in with keys and choosing with arrows works to the next step.
    requester.page.fill("#f-title", "キーボードだけで相談する")
    requester.page.fill("#f-summary", "マウスを使わずに入力する")
    requester.page.focus("#f-phase")
    requester.page.keyboard.press("ArrowDown")
    requester.page.focus("#f-title")
    with requester.page.expect_navigation():
        requester.page.keyboard.press("Enter")
    requester.check("keyboard-intake-step2")
    assert "/edit" in requester.page.url


def test_the_triage_queue_works_from_the_keyboard(people):
    desk = people("desk")
    desk.visit("/desk/consultations", "keyboard-queue")
    reached = tab_through(desk.page, limit=200)
    ids = {key[1] for key, _ in reached}
    for control in ["f-q", "f-state", "f-phase", "f-kind", "f-year", "f-due"]:
        assert control in ids, f"{control} not reachable by Tab"
    assert all(visible for _, visible in reached), [key for key, visible in reached if not visible]
    assert any(key[0] == "a" for key, _ in reached), "no case link reachable"

    # Filter with the keyboard: choose "期限超過" and press Enter in the search box.
    desk.page.focus("#f-due")
    desk.page.select_option("#f-due", "overdue")
    desk.page.focus("#f-q")
    with desk.page.expect_navigation():
        desk.page.keyboard.press("Enter")
    desk.check("keyboard-queue-filtered")
    assert "due=overdue" in desk.page.url
    # A case opens from the keyboard.
    link = desk.page.locator("table tbody a").first
    if link.count():
        link.focus()
        with desk.page.expect_navigation():
            desk.page.keyboard.press("Enter")
        desk.check("keyboard-case")
        assert "/desk/consultations/" in desk.page.url
