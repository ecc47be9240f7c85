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
    for check in page.locator(".rd-check").all():
        check.locator('input[data-correct="false"]').first.check()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_SCRIPT) == []
