"""Saying why a search found nothing, and what to drop."""

from __future__ import annotations

from tui.core.filters import FilterContext
from tui.core.query import Filter, Query, Term
from tui.core.search.index import SearchIndex


def explain_empty(index: SearchIndex, query: Query, *, abstracts: bool = True,
                  context: FilterContext = FilterContext()) -> str:
    """Say why nothing matched and which term or filter to drop (cheap: stage 1 per part).

    Args:
        index: The corpus index.
        query: The query that gave no result.
        abstracts: As given to the search.
        context: The user's marks, for ``is:`` filters.

    Returns:
        One line, e.g. ``No paper matches. Remove has:code to see 12 papers.`` It
        quotes the user's query text: render it as plain text, never as markup.
    """
    if len(index) == 0:
        return "No papers loaded."
    parts: list[Term | Filter] = [*query.terms, *query.filters]
    if not parts:
        return "No paper matches."
    # Filters and exclusions first: they are what users forget they set, and dropping
    # one keeps every word they are looking for.
    restrictive = [p for p in parts if isinstance(p, Filter) or p.negated]
    best: tuple[int, str] | None = None
    for group in (restrictive, [p for p in parts if p not in restrictive]):
        for part in group:
            count = len(index.narrow(query.without(part), abstracts=abstracts, context=context))
            if count and (best is None or count > best[0]):
                best = (count, part.raw)
        if best is not None:
            break
    if best is None:
        return "No paper matches; try fewer words or filters."
    noun = "paper" if best[0] == 1 else "papers"
    return f"No paper matches. Remove {best[1]} to see {best[0]} {noun}."
