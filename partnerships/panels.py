"""Sections that other apps add to the directory's pages: a fiche, a collectivity, a search.

The workshops app shows on a fiche what its meetings said of the partnership, and beside a
search what its notes hold for those words. It registers its panels here from its
AppConfig.ready(), so that the directory never imports the apps built on it (imports run one
way: workshops → partnerships).
"""

from dataclasses import dataclass
from typing import Any, Protocol

PAGES = ("fiche", "collectivity", "search")


class PanelItems(Protocol):
    def __call__(self, request, subject) -> dict | None: ...


@dataclass(frozen=True)
class Panel:
    page: str
    template: str
    items: PanelItems


@dataclass(frozen=True)
class FilledPanel:
    template: str
    context: dict[str, Any]


_panels: list[Panel] = []


def register_panel(page: str, template: str, items: PanelItems) -> None:
    """On ``page`` (one of PAGES), ``template`` shows the context ``items(request, subject)``
    gives (the partnership, the collectivity or the search words), unless it gives None."""
    if page not in PAGES:
        raise ValueError(page)
    panel = Panel(page, template, items)
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request, page: str, subject) -> list[FilledPanel]:
    """The panels of ``page`` with something to show about ``subject``, their context computed
    here, in the view (never from a template loop)."""
    filled = []
    for panel in _panels:
        if panel.page == page:
            context = panel.items(request, subject)
            if context is not None:
                filled.append(FilledPanel(panel.template, context))
    return filled
