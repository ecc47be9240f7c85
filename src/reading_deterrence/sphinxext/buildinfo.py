"""The ``{build}`` role: which version of the module a page belongs to, and when it was built.

``{build}`version``` is the release (Sphinx's ``release``, or else the installed package's version
from ``pyproject.toml``), ``{build}`date``` the build date (Sphinx's ``today``, or else today's
date in ``today_fmt``, which honours ``SOURCE_DATE_EPOCH`` for reproducible builds), and
``{build}`edition``` the edition (teacher or student). Nobody types them: the About page shows
what the build knows. A page that uses the role is read again at every build
(``note_reread``), so an incremental build cannot leave an old date on it. Any other key is a
build warning, so with ``-W`` a typo fails the build.
"""

from __future__ import annotations

from importlib import metadata

from docutils import nodes
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.i18n import format_date

logger = logging.getLogger(__name__)

PACKAGE = "reading-deterrence"
#: 1 December 2026 (no leading zero), unless the book sets ``today`` or ``today_fmt``.
DATE_FORMAT = "%d %B %Y"


def release(config: Config) -> str:
    """The book's ``release`` if it sets one, else the package's version, else "unversioned"."""
    if config.release:
        return str(config.release)
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unversioned"


def build_date(config: Config) -> str:
    """The book's ``today`` if it sets one, else today's date (or ``SOURCE_DATE_EPOCH``'s)."""
    if config.today:
        return str(config.today)
    text = format_date(config.today_fmt or DATE_FORMAT, language=config.language)
    return text[1:] if not config.today_fmt and text.startswith("0") else text


VALUES = {
    "version": release,
    "date": build_date,
    "edition": lambda config: str(config.reading_deterrence_edition),
}


class BuildRole(SphinxRole):
    """``{build}`version```, ``{build}`date``` or ``{build}`edition```."""

    def run(self):
        key = self.text.strip()
        if key not in VALUES:
            logger.warning(
                "{build} role: unknown value %r; use one of %s", key, ", ".join(VALUES), location=self.get_location()
            )
            return [nodes.inline(self.rawtext, self.rawtext)], []
        self.env.note_reread()  # the date and version change without the page changing
        value = VALUES[key](self.config)
        return [nodes.inline(value, value, classes=[f"rd-build-{key}"])], []


def setup(app) -> None:
    app.add_role("build", BuildRole())
