"""Open a page of a built site in headless Chromium and record what a student's browser does.

For one page: every request (and whether it went to another host), the bytes loaded (uncompressed,
and on the wire), console errors and warnings, uncaught script errors, axe-core's accessibility
violations, and whether the page scrolls sideways (wider than the window: on a phone, 360 px) and
because of which element. The browser tests hold every page to a budget on these numbers; the
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


#: A phone's width in CSS pixels (the narrowest common one): no page may scroll sideways at it.
PHONE_WIDTH = 360
PHONE_HEIGHT = 740

#: Whether the page is wider than the window, and which elements make it so: the outermost
#: elements (or the parents of text runs: a long address in a paragraph) whose right edge passes
#: the window's, leaving out those inside a fixed element (the theme's off-screen drawers) or
#: inside a box that scrolls or clips within the window (a table's scroll region).
OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement, width = root.clientWidth, edge = width + 0.5;
  const result = {width: width, scrollWidth: root.scrollWidth, culprits: []};
  if (root.scrollWidth <= width) return result;
  const contained = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.position === 'fixed') return true;
      if (a !== el && style.overflowX !== 'visible' && a.getBoundingClientRect().right <= edge) return true;
    }
    return false;
  };
  const found = new Map();
  const note = (el, right) => { if (el && !contained(el)) found.set(el, Math.max(found.get(el) || 0, right)); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.data.trim()) continue;
      range.selectNodeContents(node);
      const right = range.getBoundingClientRect().right;
      if (right > edge) note(node.parentElement, right);
    } else {
      const box = node.getBoundingClientRect();
      if (box.width > 0 && box.right > edge) note(node, box.right);
    }
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].slice(0, 2).map((c) => '.' + c).join('');
  for (const [el, right] of found) {
    let outer = true;
    for (let a = el.parentElement; a; a = a.parentElement) if (found.has(a)) { outer = false; break; }
    if (!outer) continue;
    const path = [];
    for (let a = el; a && a !== document.body && path.length < 3; a = a.parentElement) path.unshift(name(a));
    result.culprits.push({element: path.join(' > '), by: Math.round(right - width),
                          text: el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)});
  }
  result.culprits.sort((a, b) => b.by - a.by);
  return result;
}"""


@dataclass
class Overflow:
    """A page wider than its window: by how much, and the elements that stick out."""

    width: int  # the window's width (CSS pixels, without a scroll bar)
    scroll_width: int  # the page's
    culprits: list[dict] = field(default_factory=list)  # {element, by (px), text}, widest first

    def sentence(self) -> str:
        worst = "; ".join(f"{c['element']} by {c['by']} px ({c['text']!r})" for c in self.culprits[:3])
        return f"scrolls sideways at {self.width} px: {self.scroll_width} px wide; {worst or 'no element found'}"


def measure_overflow(page) -> Overflow | None:
    """The page's sideways overflow at its current window size, or None if it fits."""
    found = page.evaluate(OVERFLOW_SCRIPT)
    if found["scrollWidth"] <= found["width"]:
        return None
    return Overflow(found["width"], found["scrollWidth"], found["culprits"])


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
    overflows: list[Overflow] = field(default_factory=list)  # at each width checked, if too wide

    def problems(self) -> list[str]:
        """Everything that breaks the no-third-party, no-console, no-axe, no-sideways-scroll rules,
        as sentences."""
        out = [f"requested another host: {url}" for url in self.foreign]
        out += [f"console: {line}" for line in self.console]
        out += [f"axe {v['impact']} {v['id']}: {v['help']} ({'; '.join(v['nodes'])})" for v in self.violations]
        out += [overflow.sentence() for overflow in self.overflows]
        return out


def launch(playwright, executable: Path = CHROMIUM):
    """Start headless Chromium with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)


def audit(
    browser,
    base_url: str,
    path: str,
    *,
    axe: Path | None = None,
    width: int | None = None,
    narrow: int | None = None,
    settle: bool = True,
    **context_options,
) -> PageAudit:
    """Open ``base_url + path`` in a fresh browser context and measure it.

    ``axe`` is the path of ``axe.min.js``; without it no accessibility check is run. ``width``
    opens the page in a window that wide (``PHONE_HEIGHT`` high), else Playwright's 1280 x 720.
    Sideways overflow is measured at that width and, if ``narrow`` is given, again after the
    window is narrowed to it (the same page, not reloaded: a cheap second check). ``settle``
    waits until the network has been idle for half a second before measuring (the byte and
    request counts need it); without it the checks start at the load event, and requests or
    console messages that come later are still recorded while axe runs.
    ``context_options`` go to ``browser.new_context`` (``color_scheme``, ...).
    """
    if width is not None:
        context_options["viewport"] = {"width": width, "height": PHONE_HEIGHT}
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
        if settle:
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
        result.overflows = [found] if (found := measure_overflow(page)) else []
        if narrow is not None:
            page.set_viewport_size({"width": narrow, "height": PHONE_HEIGHT})
            if found := measure_overflow(page):
                result.overflows.append(found)
    finally:
        context.close()
    return result
