"""``{data-view} <name>``: a block of MyST generated from the data, parsed in place.

The views are :data:`reading_deterrence.rendering.views.VIEWS` (``timeline``, ``catalogue``, ...)
and the chapters' own, :data:`reading_deterrence.facts.VIEWS` (``launch_count_sheet``).
The page is rebuilt when a file the view was made from changes.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList

from ..facts import VIEWS as CHAPTER_VIEWS
from ..rendering.views import VIEWS, render
from .article import DataDirective
from .edition import held_back
from .report import DATA_ERRORS


class DataViewDirective(DataDirective):
    """``{data-view} <name>``: a block of MyST generated from the data (see ``rendering.views``)."""

    required_arguments = 1
    has_content = False

    def run(self):
        name = self.arguments[0]
        if name not in VIEWS and name not in CHAPTER_VIEWS:
            known = ", ".join(sorted([*VIEWS, *CHAPTER_VIEWS]))
            return self.data_error(KeyError(f"no data view {name!r}; known views: {known}"))
        try:
            if name in CHAPTER_VIEWS:
                view = CHAPTER_VIEWS[name](self.package)
            else:
                view = render(name, self.package, held_back=held_back(self.config))
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(view.files)
        document = self.state.document
        before = {id(section) for section in document.findall(nodes.section)}
        holder = nodes.Element()
        self.state.nested_parse(StringList(view.text.splitlines()), self.content_offset, holder, match_titles=True)
        # MyST attaches the generated sections to the page's own section tree, not to holder
        created = [section for section in document.findall(nodes.section) if id(section) not in before]
        label_sections(created, document, view.labels)
        return holder.children


def label_sections(sections: list[nodes.section], document: nodes.document, labels: dict[str, str]) -> None:
    """Give each section whose title is in ``labels`` that label, as ``(label)=`` would.

    Views declare section labels this way, not with ``(label)=`` in their text: in a nested parse
    MyST leaves such a target outside its section, so Sphinx would know the label but not the
    section it names.
    """
    for section in sections:
        label = labels.get(section[0].astext())
        if label is None:
            continue
        section["ids"].insert(0, label)
        section["names"].append(label)
        document.ids[label] = section
        document.nameids[label] = label
        document.nametypes[label] = True


def setup(app) -> None:
    app.add_directive("data-view", DataViewDirective)
