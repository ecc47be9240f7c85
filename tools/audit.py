"""Open a page of a built site in headless Chromium and record what a student's browser does.

For one page: every request (and whether it went to another host), the bytes loaded (uncompressed,
and on the wire), console errors and warnings, uncaught script errors, and axe-core's
accessibility violations. The browser tests hold every page to a budget on these numbers; the
benchmark prints them for this book and for the Jupyter Book template side by side.

Requests to other hosts are recorded and then blocked, so a page that tries to reach a CDN fails
the audit instead of hanging on a network the machine does not have.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Debian's Chromium; ``$CHROMIUM`` overrides. Never a browser downloaded by Playwright.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

#: Flags that let Chromium run headless in a container with no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_SCRIPT = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""


@dataclass
class PageAudit:
    """What one page did when opened."""

    path: str
    status: int | None
    requests: int = 0
    bytes: int = 0  # uncompressed size of every response body
    transferred: int = 0  # on the wire: encoded bodies plus response headers
    foreign: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    resources: list[tuple[int, str]] = field(default_factory=list)  # (bytes, url), largest first

    def problems(self) -> list[str]:
        """Everything that breaks the no-third-party, no-console, no-axe rules, as sentences."""
        out = [f"requested another host: {url}" for url in self.foreign]
        out += [f"console: {line}" for line in self.console]
        out += [f"axe {v['impact']} {v['id']}: {v['help']} ({'; '.join(v['nodes'])})" for v in self.violations]
        return out


def launch(playwright, executable: Path = CHROMIUM):
    """Start headless Chromium with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)


def audit(browser, base_url: str, path: str, *, axe: Path | None = None, **context_options) -> PageAudit:
    """Open ``base_url + path`` in a fresh browser context and measure it.

    ``axe`` is the path of ``axe.min.js``; without it no accessibility check is run.
    ``context_options`` go to ``browser.new_context`` (``color_scheme``, ``viewport``, ...).
    """
    context = browser.new_context(**context_options)
    page = context.new_page()
    result = PageAudit(path=path, status=None)
    responses = []

    def route(route):
        url = route.request.url
        if url.startswith(base_url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            result.foreign.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("request", lambda request: setattr(result, "requests", result.requests + 1))
    page.on("response", lambda response: responses.append(response))
    page.on(
        "console", lambda m: result.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: result.console.append(f"uncaught: {error}"))
    try:
        response = page.goto(base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        result.status = response.status if response else None
        for resp in responses:
            if resp.status >= 300:  # redirects and errors carry no page content
                continue
            sizes = resp.request.sizes()
            try:
                size = len(resp.body())
            except Exception:  # a document the page navigated away from (a redirect page)
                size = sizes["responseBodySize"]
            result.bytes += size
            result.transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            result.resources.append((size, resp.url.removeprefix(base_url)))
        result.resources.sort(reverse=True)
        if axe is not None:
            page.add_script_tag(path=str(axe))
            result.violations = page.evaluate(AXE_SCRIPT)
    finally:
        context.close()
    return result
