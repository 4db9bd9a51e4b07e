"""Papers like a paper, and papers for a reader: tf-idf vectors and cosine
similarity, no UI code.

* :mod:`.index`: :class:`SimilarityIndex`, built in steps in a worker, then
  queried ("More like this", the "for you" order).
* :mod:`.text`: the terms of a paper (tokenising, stop words, title weight).
* :mod:`.vectors`: the vectors as numpy/scipy sparse rows; imported on first use.
* :mod:`.reference`: the same definition in plain Python, for tests and bench.
"""

from tui.core.similar.index import ProfileEntry, SimilarityIndex

__all__ = ["ProfileEntry", "SimilarityIndex"]
