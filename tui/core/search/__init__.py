"""Search over papers in two stages, with no UI code (the query language is in
:mod:`tui.core.query`, the filters in :mod:`tui.core.filters`).

* :mod:`.index`: :class:`SearchIndex`, the folded text of a corpus and the two stages.
* :mod:`.vocabulary`: a field's distinct words, for typos and word lookups.
* :mod:`.postings`: which texts hold each word.
* :mod:`.sorted_ids`: scans and set operations on sorted id lists.
* :mod:`.explain`: why a search found nothing.
"""

from tui.core.query import title_highlights
from tui.core.search.explain import explain_empty
from tui.core.search.index import SearchIndex

__all__ = ["SearchIndex", "explain_empty", "title_highlights"]
