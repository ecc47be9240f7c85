"""Handout boxes made from the data: ``{vocabulary}`` and ``{event-cards}``.

::

    :::{vocabulary}
    deterrence
    war deterrent
    :::

    :::{event-cards}
    :hide-date:
    b52-drill-2023-03-06
    hanoi-summit
    :::

One glossary term (as in ``data/glossary.csv``, any case) or one timeline ``event_id`` per line.
``{vocabulary}`` takes an optional title (default "Vocabulary"). The MyST comes from
:mod:`reading_deterrence.rendering.handouts` and is parsed in place, so Korean in a definition
gets its language mark like any other text. An unknown term or event ID is a build error naming
the data file, column and name.
"""

from __future__ import annotations

from docutils.parsers.rst import directives

from ..rendering.base import View
from ..rendering.handouts import event_cards, vocabulary
from .article import DataDirective
from .report import DATA_ERRORS


class ListDirective(DataDirective):
    """A directive whose body is one name per line, turned into a :class:`View` and parsed in place."""

    has_content = True

    def names(self) -> list[str]:
        names = [line.strip() for line in self.content if line.strip()]
        if not names:
            raise self.error(f"{self.name}: list one name per line in the body")
        return names

    def view(self, names: list[str]) -> View:
        raise NotImplementedError

    def run(self):
        names = self.names()
        try:
            view = self.view(names)
        except DATA_ERRORS as err:
            return self.data_error(err)
        return self.placed(view)


class VocabularyDirective(ListDirective):
    """``{vocabulary} [title]``: a boxed definition list of glossary terms."""

    optional_arguments = 1
    final_argument_whitespace = True

    def view(self, names):
        title = self.arguments[0] if self.arguments else "Vocabulary"
        return vocabulary(names, self.package, title=title)


class EventCardsDirective(ListDirective):
    """``{event-cards}``: printable cut-out cards of timeline events, 8 to an A4 page."""

    option_spec = {"hide-date": directives.flag}

    def view(self, names):
        return event_cards(names, self.package, hide_date="hide-date" in self.options)


def setup(app) -> None:
    app.add_directive("vocabulary", VocabularyDirective)
    app.add_directive("event-cards", EventCardsDirective)
