"""Self-check questions in headless Chromium: feedback appears for a wrong and a right answer, by
mouse and by keyboard, and axe finds nothing with feedback showing."""

from __future__ import annotations

import pytest

from conftest import AXE
from tools.audit import AXE_SCRIPT

pytestmark = pytest.mark.browser

PAGE = "chapters/01-the-case/index.html"


@pytest.fixture
def page(browser, site, request):
    context = browser.new_context(**getattr(request, "param", {}))
    page = context.new_page()
    page.goto(site.url + PAGE)
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def first_check(page):
    return page.locator(".rd-check").first


def test_a_wrong_then_a_right_answer_by_mouse(page):
    check = first_check(page)
    assert check.locator(".rd-check-feedback:visible").count() == 0
    wrong = check.locator('input[data-correct="false"]').first
    check.locator(f'label[for="{wrong.get_attribute("id")}"]').click()
    shown = check.locator(".rd-check-feedback:visible")
    assert shown.count() == 1 and shown.inner_text().startswith("Not quite.")
    right = check.locator('input[data-correct="true"]').first
    check.locator(f'label[for="{right.get_attribute("id")}"]').click()
    shown = check.locator(".rd-check-feedback:visible")
    assert shown.count() == 1 and shown.inner_text().startswith("Right.")
    # the feedback is also read out to screen readers through the live region
    assert check.locator(".rd-check-live").inner_text().startswith("Right.")


def test_answers_by_keyboard(page):
    check = first_check(page)
    check.locator("input").first.focus()
    page.keyboard.press("Space")
    assert check.locator(".rd-check-feedback:visible").inner_text().startswith("Not quite.")
    page.keyboard.press("ArrowDown")  # moves to, and selects, the next answer (the right one)
    assert check.locator("input").nth(1).is_checked()
    assert check.locator(".rd-check-feedback:visible").inner_text().startswith("Right.")


@pytest.mark.parametrize("page", [{"java_script_enabled": False}], indirect=True, ids=["no-js"])
def test_feedback_appears_without_javascript(page):
    check = first_check(page)
    check.locator('input[data-correct="true"]').first.check()
    assert check.locator(".rd-check-feedback:visible").inner_text().startswith("Right.")


@pytest.mark.parametrize("page", [{"color_scheme": "light"}, {"color_scheme": "dark"}], indirect=True, ids=["light", "dark"])
def test_axe_with_feedback_showing(page):
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")  # checks in folds too
    for check in page.locator(".rd-check").all():
        check.locator('input[data-correct="false"]').first.check()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_SCRIPT) == []


@pytest.fixture
def multiple(browser, site, request):
    """The first page with a multiple-answer question, open at that question."""
    for html in sorted(site.root.rglob("chapters/0*/*.html")):
        if "data-rd-multiple" in html.read_text(encoding="utf-8"):
            break
    else:
        pytest.fail("no page has a multiple-answer self-check")
    context = browser.new_context(**getattr(request, "param", {}))
    page = context.new_page()
    page.goto(site.url + html.relative_to(site.root).as_posix())
    page.wait_for_load_state("networkidle")
    yield page.locator("[data-rd-multiple]").first
    context.close()


def choose(check, correct: bool, nth: int = 0):
    box = check.locator(f'input[data-correct="{"true" if correct else "false"}"]').nth(nth)
    check.locator(f'label[for="{box.get_attribute("id")}"]').click()
    return box


def test_a_multiple_answer_question_says_how_much_is_right(multiple):
    check = multiple
    rights = check.locator('input[data-correct="true"]').count()
    assert rights >= 2 and check.locator('input[type="radio"]').count() == 0
    tally = check.locator(".rd-check-tally")
    assert not tally.is_visible()
    choose(check, True)
    assert tally.inner_text() == f"Partly right: you have found 1 of the {rights} right answers. Look for more."
    wrong = choose(check, False)
    assert "and chosen 1 answer that is not right" in tally.inner_text()
    # each ticked box shows its own feedback
    assert check.locator(".rd-check-feedback:visible").count() == 2
    wrong.uncheck()
    for nth in range(1, rights):
        choose(check, True, nth)
    assert tally.inner_text() == f"Right: you have found all {rights} right answers."
    assert check.locator(".rd-check-live").inner_text().endswith(tally.inner_text())


def test_a_multiple_answer_question_by_keyboard(multiple):
    check = multiple
    boxes = check.locator("input")
    boxes.first.focus()
    check.page.keyboard.press("Space")
    assert boxes.first.is_checked()
    check.page.keyboard.press("Tab")  # checkboxes are each a tab stop
    check.page.keyboard.press("Space")
    assert boxes.nth(1).is_checked() and check.locator(".rd-check-tally").is_visible()


@pytest.mark.parametrize("multiple", [{"java_script_enabled": False}], indirect=True, ids=["no-js"])
def test_multiple_answer_feedback_without_javascript(multiple):
    choose(multiple, True)
    choose(multiple, False)
    assert multiple.locator(".rd-check-feedback:visible").count() == 2
