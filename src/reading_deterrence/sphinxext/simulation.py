"""The situation-room simulation's cards, made from the data: ``{role-card}`` and ``{launch-inject}``.

::

    :::{role-card} dprk
    :::

    :::{launch-inject} 2023-04-13-a
    :reporters: JCS, Japan MOD
    :::

``{role-card}`` prints one role's card from ``data/simulation_cards.csv`` (its title is the page's
heading above it); ``{launch-inject}`` prints what each reporter said about one launch, from
``launch_reports`` (``:reporters:`` chooses some, in any order; the card keeps the module's
order). The MyST comes from :mod:`reading_deterrence.rendering.simulation` and is parsed in
place, so the sources link to the Sources page. An unknown role, launch or reporter, or a card
whose facts do not trace to the data (:func:`~reading_deterrence.rendering.simulation.card_problems`),
is a build error naming the data file, row and column.
"""

from __future__ import annotations

from docutils.parsers.rst import directives

from ..contract import DataError
from ..rendering.base import View
from ..rendering.simulation import card_problems, launch_inject, role_card
from .article import DataDirective
from .report import DATA_ERRORS


class SimulationDirective(DataDirective):
    """One argument; the :class:`View` it names, parsed in place."""

    required_arguments = 1
    has_content = False

    def view(self) -> View:
        raise NotImplementedError

    def run(self):
        try:
            view = self.view()
        except DATA_ERRORS as err:
            return self.data_error(err)
        return self.placed(view)


class RoleCardDirective(SimulationDirective):
    """``{role-card} <role>``: one team's role card."""

    def view(self):
        problems = card_problems(self.package)
        if problems:
            raise DataError(problems)
        return role_card(self.arguments[0].strip(), self.package)


class LaunchInjectDirective(SimulationDirective):
    """``{launch-inject} <event_id>``: who said what about one launch."""

    option_spec = {"reporters": directives.unchanged_required}

    def view(self):
        wanted = self.options.get("reporters")
        reporters = [r.strip() for r in wanted.split(",") if r.strip()] if wanted else None
        return launch_inject(self.arguments[0].strip(), self.package, reporters)


def setup(app) -> None:
    app.add_directive("role-card", RoleCardDirective)
    app.add_directive("launch-inject", LaunchInjectDirective)
