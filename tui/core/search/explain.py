"""Saying why a search found nothing, and what to drop."""

from __future__ import annotations

from collections.abc import Callable

from tui.core.filters import FilterContext
from tui.core.query import KNOWN_PREFIXES, Query, parse_query, tokens_removed, unknown_prefix
from tui.core.search.index import SearchIndex


def explain_empty(index: SearchIndex, query: Query, *, abstracts: bool = True,
                  context: FilterContext = FilterContext(),
                  is_cancelled: Callable[[], bool] = lambda: False) -> str:
    """Say why nothing matched and which part of the query to drop.

    A part is what the user typed as one piece (``foo:bar``, ``-has:code``,
    ``"a phrase"``); its count is what the search shows once it is removed from the
    search box: the ranked search, typos forgiven, over the same fields. Parts that
    look like a filter but are none (``foo:bar``) come first, then filters and
    exclusions (what users forget they set; dropping one keeps every word they are
    looking for), then the rest; within the first of these groups where a removal
    finds papers, the one finding most is named.

    Args:
        index: The corpus index.
        query: The query that gave no result.
        abstracts: As given to the search.
        context: The user's marks, for ``is:`` filters.
        is_cancelled: Polled while searching; when it returns True, give up (``""``).

    Returns:
        One line, e.g. ``No paper matches. Remove has:code to see 12 papers.`` It
        quotes the user's query text: render it as plain text, never as markup.
    """
    if len(index) == 0:
        return "No papers loaded."
    removals = tokens_removed(query)
    if not removals:
        return "No paper matches."
    unknown = next((prefix for raw, _ in removals for prefix in (unknown_prefix(raw),) if prefix), None)
    opening = "No paper matches."
    if unknown is not None:
        known = " ".join(f"{prefix}:" for prefix in KNOWN_PREFIXES)
        opening = f"No paper matches; {unknown}: is no filter or field (known: {known})."

    def restrictive(raw: str) -> bool:
        alone = parse_query(raw)
        return bool(alone.filters) or any(term.negated for term in alone.terms)

    groups = (
        [(raw, rest) for raw, rest in removals if unknown_prefix(raw)],
        [(raw, rest) for raw, rest in removals if not unknown_prefix(raw) and restrictive(raw)],
        [(raw, rest) for raw, rest in removals if not unknown_prefix(raw) and not restrictive(raw)],
    )
    best: tuple[int, str] | None = None
    for group in groups:
        for raw, rest in group:
            found = index.rank(rest, abstracts=abstracts, is_cancelled=is_cancelled, context=context)
            if found is None:
                return ""
            if found and (best is None or len(found) > best[0]):
                best = (len(found), raw)
        if best is not None:
            break
    if best is None:
        return f"{opening} Try fewer words or filters." if unknown else "No paper matches; try fewer words or filters."
    noun = "paper" if best[0] == 1 else "papers"
    return f"{opening} Remove {best[1]} to see {best[0]} {noun}."
