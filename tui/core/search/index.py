""":class:`SearchIndex`: the folded text of a corpus, and the two search stages over it.

* Stage 1, :meth:`SearchIndex.narrow`: exact substring AND filter over folded text
  (case, accents and punctuation ignored), in corpus order. It is a few C-level scans
  per word (``compress(map(contains, ...))``), and incremental: pass the previous
  result as ``within`` when :meth:`Query.refines` says the new query refines the old.
* Stage 2, :meth:`SearchIndex.rank`: best-first ranking that also finds typos. A
  query word no word of its fields starts (or only one occurring once) is taken for a
  typo: it is compared by edit distance with the *vocabulary* of each field (tens of
  thousands of distinct words, not every title), and stands for the likeliest words
  near it, by edits and frequency (see ``_typo_targets``); the papers holding them are
  then found as a typed word's are, by postings or substring scans. A paper must match
  every word; a word scores by field (title > author > abstract) and quality (whole
  word > word start > inside a word > a word a typo stands for, the likeliest first);
  words typed side by side in a title add a bonus. An arXiv id ranks its paper above
  everything else. It checks ``is_cancelled`` between chunks of text and returns
  ``None`` when cancelled; the chunks are small enough that no C call holds the GIL
  long enough to delay a key on the UI thread. No numpy.

Typos: :func:`tui.core.query.max_edits` (4 letters: one edit; 5 and more: two). In
abstracts at most three words a typo stands for are looked for (each costs a scan of
the abstracts).

Both take ``abstracts=``: ``False`` searches titles and authors only (fast, for the
instant pass), ``True`` (default) also abstracts. Explicit ``abstract:`` terms always
search abstracts.
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from digest_parser.arxiv_ids import find_arxiv_ids
from digest_parser.models import Paper
from tui.core.filters import CorpusFilters, FilterContext
from tui.core.query import (
    ASCII_PUNCTUATION,
    FieldName,
    Query,
    Term,
    abstract_text,
    fold,
    max_edits,
    phrase_pattern,
    searched_title,
)
from tui.core.search.channel import CHEAPEST, OTHER, typing_cost
from tui.core.search.postings import Postings
from tui.core.search.sorted_ids import hits_within, merge, minus, select
from tui.core.search.vocabulary import VOCAB_CHUNK, Vocabulary, load_osa, load_rapidfuzz

_QUICK_ABSTRACT_SCAN = 5000  # papers whose abstracts stage 1 scans within a frame
_FOLD_CHUNK = 500  # abstracts per step (about 1 MB): a short hold of the GIL between checks
_MEMO_TERMS = 2  # only a query's first term runs over the whole corpus
_ORDER_STEP = 8192  # papers per step of putting a large result in rank order, between checks
_WEIGHT = {"title": 3.0, "author": 2.0, "abstract": 1.0}
_TYPO_SCANS: dict[FieldName, int] = {"title": 8, "author": 8, "abstract": 3}
"""Nearest words looked for per field: in abstracts each is a scan of every abstract."""
_TYPO_TARGETS = 8
_RARE = 1
"""A word occurring this often or less in the fields searched is also taken for a typo
(its own papers still come first)."""
_TARGETS_MEMO = 64
_SHORT_TYPO = 3
_SHORT_OMISSIONS = 2
"""A typo too short for :func:`max_edits` to forgive two edits (3 or 4 letters) may
still be a word with up to this many letters left out ("amnt", "amount")."""
_PER_EDIT = 0.5  # an edit weighs as much as this many powers of ten of a word's frequency
_ENOUGH = 100_000  # occurrences of the words a typed word starts: counted up to this
_BAND = 1000.0
"""Score between two readings of a word that stands for others (see _reading_scores):
above any field's and quality's (at most 3 x 110, plus 150 for words side by side)."""
_COST_MARGIN = 0.5  # the words kept for a typo: within this of the likeliest one's cost
_WORD_MARGIN = 0.5
"""How much likelier than a word of the fields a word must be to be taken for meant:
a thousand times as frequent one edit away ("lerning", misspelt a few times in 100k
abstracts, and "learning"), a hundred thousand times two edits away. (Plain edits:
a word that exists is trusted more than a typo, whatever its slip would cost.)"""
_OWN_ID = 100_000.0  # the paper an arXiv id names: above any sum of word scores
_ID_LINK_PLACES = ("arxiv", "huggingface.co/papers/", "hf.co/papers/")

Targets = tuple[tuple[str, int], ...]
"""The words a typo stands for, with their edit distance, best first."""


class _Cancelled(Exception):
    pass


class SearchIndex:
    """Folded text of a corpus, prepared once, with the two search stages.

    Thread use: build it anywhere; call ``narrow`` and ``rank`` from any thread, one
    call at a time per thread (calls only read, apart from caches filled idempotently).
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        """Fold every title and author list (abstracts follow on first need).

        Args:
            papers: The corpus; results are indices into it.
        """
        self.papers: tuple[Paper, ...] = tuple(papers)
        self._titles = [searched_title(p.title, p.plain_title) for p in self.papers]
        # One fold per paper, not per author; "\n" keeps names apart for phrases.
        self._authors = [" " + fold(" \n ".join(p.authors), keep_newlines=True) + " " for p in self.papers]
        self._title_authors = [t + "\n" + a for t, a in zip(self._titles, self._authors, strict=True)]
        # Abstracts are folded on first need (see _abstracts): they are most of the
        # text and would be most of the build time, and a quick title search does
        # not need them.
        self._abstracts_cache: list[str] | None = None
        self._abstracts_partial: list[str] = []
        self._abstracts_lock = threading.Lock()
        self._filters = CorpusFilters(self.papers)
        self._title_lengths = [len(p.title) for p in self.papers]
        # Ranking orders ties by title length: a large result is picked from every
        # paper in that order (see _in_rank_order). Made by warm().
        self._title_length_order: list[int] | None = None
        self._vocab: dict[FieldName, Vocabulary] = {"title": Vocabulary(), "author": Vocabulary()}
        for lo in range(0, len(self.papers), VOCAB_CHUNK):
            # In steps: one split of every title at once held the GIL so long that
            # the first key typed after / waited for it.
            self._vocab["title"].add(" ".join(self._titles[lo:lo + VOCAB_CHUNK]))
            self._vocab["author"].add(" ".join(self._authors[lo:lo + VOCAB_CHUNK]))
        self._postings = {"title": Postings(self._titles), "author": Postings(self._authors)}
        self._abstract_vocab = Vocabulary()
        self._abstract_vocab_done = 0
        self._vocab_lock = threading.Lock()
        # Title and author scores of a term over the whole corpus, so the ranked pass
        # with abstracts does not redo what the titles-only pass just did (the first
        # term, over the whole corpus, is most of its work). The last two queries: a few MB.
        self._title_author_memo: dict[Term, tuple[dict[int, float], Sequence[int]]] = {}
        self._memo_lock = threading.Lock()
        # A typo's nearest words per (word, fields searched): both ranked passes and an
        # empty result's explanation ask for them.
        self._targets_memo: dict[tuple[str, tuple[FieldName, ...]], Targets] = {}
        # (arXiv id, paper, own) sorted, made on the first id searched (see _id_table).
        self._ids: list[tuple[str, int, bool]] | None = None
        self._ids_lock = threading.Lock()

    @property
    def _abstracts(self) -> list[str]:
        cache = self._abstracts_cache
        return cache if cache is not None else self._fold_abstracts(lambda: None)

    def _fold_abstracts(self, check: Callable[[], None]) -> list[str]:
        """Fold every abstract, in chunks with ``check`` between them (so a key
        typed meanwhile gets the GIL); a cancelled call keeps its progress."""
        with self._abstracts_lock:
            if self._abstracts_cache is None:
                folded, papers = self._abstracts_partial, self.papers
                while len(folded) < len(papers):
                    start = len(folded)
                    folded.extend([abstract_text(p.abstract) for p in papers[start:start + _FOLD_CHUNK]])
                    check()
                self._abstracts_cache = folded
            return self._abstracts_cache

    def __len__(self) -> int:
        return len(self.papers)

    def warm(self, *, is_cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Prepare what ranking needs now rather than on the first query, most needed
        first: the folded abstracts and their typo vocabulary (the first ranked query
        with abstracts would wait for them, the longest wait), then the title and author
        postings, typo vocabularies and title-length order (until then, ranking scans
        and sorts: it is slower, not wrong) and rapidfuzz.

        Resumable: a cancelled call keeps its progress. Returns True when complete.
        """
        check = _checker(is_cancelled)
        try:
            self._build_abstract_vocab(check)
            for field in ("title", "author"):
                self._postings[field].build(check)
                self._vocab[field].prepare(check)
            if self._title_length_order is None:
                self._title_length_order = sorted(range(len(self.papers)), key=self._title_lengths.__getitem__)
                check()
            load_rapidfuzz()  # (its import is long enough to be felt: not in the first query)
            load_osa()
            self._abstract_vocab.prepare(check)
            self._id_table(check)
        except _Cancelled:
            return False
        return True

    def narrow(self, query: Query, *, within: Sequence[int] | None = None, abstracts: bool = True,
               context: FilterContext = FilterContext()) -> list[int]:
        """Stage 1: papers containing every word and phrase exactly (folded), in corpus order.

        Args:
            query: The parsed query.
            within: Only test these indices (sorted): the previous result, when
                ``query.refines(previous_query)`` and the bookmark/read sets are unchanged.
            abstracts: Also search abstracts for terms without a field.
            context: The user's marks, for ``is:`` filters.

        Returns:
            Matching indices in corpus order.
        """
        ids: Sequence[int] = range(len(self.papers)) if within is None else within
        ids = self._filters.apply(ids, query.filters, context)
        never = _checker(lambda: False)
        # Longest first: it is usually the rarest, so later scans test fewer papers.
        for term in sorted(query.ids + query.words + query.phrases, key=lambda t: (not t.arxiv_id, -len(t.text))):
            ids = self._containing(ids, term, abstracts, never)
        for term in query.exclusions:
            ids = minus(ids, self._containing(ids, term, abstracts, never))
        return list(ids)

    def narrows_quickly(self, query: Query, *, abstracts: bool) -> bool:
        """Whether ``narrow(query, abstracts=abstracts)`` answers within a frame: False
        when it would fold the abstracts first or scan more than ``_QUICK_ABSTRACT_SCAN``
        of them."""
        if not _reads_abstracts(query, abstracts):
            return True
        return self._abstracts_cache is not None and len(self.papers) <= _QUICK_ABSTRACT_SCAN

    def rank(self, query: Query, candidates: Sequence[int] | None = None, *, abstracts: bool = True,
             is_cancelled: Callable[[], bool] = lambda: False,
             context: FilterContext = FilterContext(),
             scores: dict[int, float] | None = None) -> list[int] | None:
        """Stage 2: matching papers best first, including typo matches stage 1 missed.

        Args:
            query: The parsed query.
            candidates: Rank only among these indices (sorted); ``None`` for the corpus.
                Do not pass a stage-1 result here: it lacks the typo matches.
            abstracts: Also search abstracts for terms without a field.
            is_cancelled: Polled between chunks; when it returns True, stop.
            context: The user's marks, for ``is:`` filters.
            scores: When given, filled with each returned index's score (the order's
                key: higher is better); left empty for a query of filters only, which
                keeps corpus order (``digest-reader search --format json`` prints them).

        Returns:
            Indices best first, or ``None`` if cancelled.
        """
        try:
            return self._rank(query, candidates, abstracts, _checker(is_cancelled), context, scores_out=scores)
        except _Cancelled:
            return None

    # -- stage 1 helpers ---------------------------------------------------------------

    def _fields(self, term: Term, abstracts: bool) -> list[FieldName]:
        if term.field is not None:
            return [term.field]
        return ["title", "author", "abstract"] if abstracts else ["title", "author"]

    def _texts(self, field: FieldName) -> list[str]:
        return {"title": self._titles, "author": self._authors, "abstract": self._abstracts}[field]

    def _containing(self, ids: Sequence[int], term: Term, abstracts: bool, check: Callable[[], None]) -> list[int]:
        """Ids (in order) with ``term`` in one of its fields, exactly."""
        if term.arxiv_id:
            return sorted(self._id_scores(ids, term, abstracts, check))
        fields = self._fields(term, abstracts)
        if fields[:2] == ["title", "author"] and not term.phrase:
            in_title_authors = select(self._title_authors, ids, term.text, check)
            if "abstract" in fields:
                return merge(in_title_authors, self._in_field("abstract", minus(ids, in_title_authors), term, check))
            return in_title_authors
        hits: list[int] = []
        rest = ids
        for field in fields:
            found = self._in_field(field, rest, term, check)
            hits = merge(hits, found)
            rest = minus(rest, found)
        return hits

    def _in_field(self, field: FieldName, ids: Sequence[int], term: Term, check: Callable[[], None]) -> list[int]:
        vocabulary = self._vocabulary(field)
        if vocabulary is not None and not all(map(vocabulary.may_contain, term.text.split())):
            return []  # typos usually: skip a scan of every text of the field
        texts = self._texts(field)
        if not term.phrase or " " not in term.text:
            return self._select_in(field, ids, term.text, check)
        if field != "abstract":
            return select(texts, ids, term.text, check)  # folded: single spaces
        # Abstracts are only lower-cased (see abstract_text): allow any
        # punctuation between the phrase's words.
        words = term.text.split()
        pattern = phrase_pattern(tuple(words))
        rough = select(texts, ids, max(words, key=len), check)
        return [i for i in rough if pattern.search(texts[i])]

    def _select_in(self, field: FieldName, ids: Sequence[int], needle: str, check: Callable[[], None]) -> list[int]:
        """The ids whose ``field`` holds ``needle``: from the postings of the few
        words holding it when there are few, else by a scan."""
        if field != "abstract" and " " not in needle:
            holders = self._vocab[field].containing(needle)
            if holders is not None:
                held = self._held_by(field, holders, ids)
                if held is not None:
                    return held
        return select(self._texts(field), ids, needle, check)

    def _held_by(self, field: FieldName, words: AbstractSet[str], ids: Sequence[int]) -> list[int] | None:
        """The ids whose ``field`` has one of ``words`` (words of its vocabulary), from
        the postings; None when they are not built yet or a scan would cost less."""
        postings = self._postings[field].ready
        if postings is None:
            return None
        if not words:
            return []
        lists = [postings.get(word, []) for word in words]
        if sum(map(len, lists)) > len(ids):
            return None  # joining the lists costs about what scanning as many texts does
        hits = list(lists[0]) if len(lists) == 1 else sorted(set().union(*lists))
        return hits_within(hits, ids)

    # -- arXiv ids ----------------------------------------------------------------------

    def _id_table(self, check: Callable[[], None]) -> list[tuple[str, int, bool]]:
        """Every (arXiv id, paper, own) of the corpus, sorted: a paper's own id is its
        ``arxiv_id`` or, without one, an id in a link of its own (a Hugging Face paper
        page's, say: a link whose id its abstract does not mention); the ids of its
        other links are mentions."""
        table = self._ids
        if table is not None:
            return table
        with self._ids_lock:
            if self._ids is None:
                rows: list[tuple[str, int, bool]] = []
                for i, paper in enumerate(self.papers):
                    if paper.arxiv_id:
                        rows.append((paper.arxiv_id.lower(), i, True))
                    for link in paper.links:
                        if any(place in link.url for place in _ID_LINK_PLACES):
                            for found in find_arxiv_ids(link.url):
                                own = not paper.arxiv_id and found not in paper.abstract
                                rows.append((found.lower(), i, own))
                    if i % _FOLD_CHUNK == 0:
                        check()
                rows.sort()
                self._ids = rows
            return self._ids

    def _id_scores(self, ids: Sequence[int], term: Term, abstracts: bool,
                   check: Callable[[], None]) -> dict[int, float]:
        """The papers of ``ids`` an id term finds, scored: the paper with that id (or
        an id starting so) above all, then those mentioning a complete id in a link,
        title or abstract (a title's mention above the others)."""
        table = self._id_table(check)
        wanted = ids if isinstance(ids, range) else frozenset(ids)
        own: dict[int, float] = {}
        scores: dict[int, float] = {}
        complete = _complete_id(term.text)
        at = bisect_left(table, (term.text,))
        while at < len(table) and table[at][0].startswith(term.text):
            found, i, is_own = table[at]
            if i in wanted:
                if is_own:
                    own[i] = _OWN_ID
                elif complete and found == term.text:
                    scores[i] = 100.0
            at += 1
        if complete:
            folded = fold(term.text)
            rest = [i for i in ids if i not in own and i not in scores]
            # Titles are folded ("2511 19780"); abstracts only lower-cased unless non-ASCII.
            searches: list[tuple[FieldName, str]] = [("title", folded)]
            if abstracts:
                searches += [("abstract", needle) for needle in dict.fromkeys((term.text, folded))]
            for field, needle in searches:
                vocabulary = self._vocabulary(field)
                if vocabulary is not None and not vocabulary.may_contain(folded.split()[-1]):
                    continue  # (no text of the field has its digits)
                for i in select(self._texts(field), rest, needle, check):
                    scores[i] = max(scores.get(i, 0.0), _WEIGHT[field] * 100.0)
        scores.update(own)
        return scores

    # -- stage 2 ------------------------------------------------------------------------

    def _build_abstract_vocab(self, check: Callable[[], None]) -> None:
        step = 64  # abstracts per step: its C calls (join, translate, split, update) hold the GIL
        with self._vocab_lock:  # a stale rank may still be building it
            self._build_abstract_vocab_locked(step, check)

    def _build_abstract_vocab_locked(self, step: int, check: Callable[[], None]) -> None:
        self._fold_abstracts(check)
        while self._abstract_vocab_done < len(self._abstracts):
            lo = self._abstract_vocab_done
            block = " ".join(self._abstracts[lo:lo + step])
            self._abstract_vocab.add(block.translate(ASCII_PUNCTUATION))
            self._abstract_vocab_done = lo + step
            check()

    def _vocabulary(self, field: FieldName) -> Vocabulary | None:
        if field != "abstract":
            return self._vocab[field]
        return self._abstract_vocab if self._abstract_vocab_done >= len(self._abstracts) else None

    def _typo_targets(self, term: Term, abstracts: bool, check: Callable[[], None]) -> tuple[Targets, bool]:
        """The words ``term`` is taken for (best first), and whether it is a typo.

        * A typo (no word of the fields starts with it, or one occurring once does):
          the likeliest words within :func:`max_edits` edits (or, for 3 or 4 letters,
          with up to two letters left out: ``amnt``), by the edits' cost
          (:func:`typing_cost`: a letter left out costs half a wrong one) and
          frequency (a word a hundred times as frequent weighs as one an edit nearer).
        * The start of words but no word itself (``predictin``, of "predicting"):
          also the words within its edits far likelier than the words it starts
          (``prediction``); none, usually, for a word being typed.
        * A word of the fields (occurring twice or more) means itself, unless a word
          within its edits is overwhelmingly likelier (``lerning``, misspelt a few
          times among 100k abstracts: ``learning``); its own papers still come first.

        Decided over all the fields the term may match, so a word that is right in one
        field is no typo in another; the abstracts are asked when their vocabulary is
        ready, and compared with only when searched.
        """
        edits = max_edits(term.text)
        omissions = _SHORT_OMISSIONS if edits < 2 and len(term.text) >= _SHORT_TYPO else 0
        if term.phrase or term.arxiv_id or not (edits or omissions):
            return (), False
        fields = self._fields(term, abstracts)
        if "abstract" in fields:
            self._build_abstract_vocab(check)
        known = [vocabulary for field in self._fields(term, True)
                 for vocabulary in (self._vocabulary(field),) if vocabulary is not None]
        word = term.text
        whole = sum(vocabulary.words.get(word, 0) for vocabulary in known)
        started = sum(vocabulary.occurrences_from(word, _ENOUGH) for vocabulary in known)
        typo = started <= _RARE
        # What was typed, when it is a word or starts words, weighs like a word meant
        # (no edit); a word meant instead must be far likelier (so frequent: only the
        # frequent words are compared with), for a word of the fields by _WORD_MARGIN.
        own = None if typo else -_PER_EDIT * math.log10(1 + started)
        if not edits and not typo:
            return (), False  # too short to be taken for anything but what it starts
        if own is not None and whole > _RARE and not any(
                _PER_EDIT * math.log10(1 + vocabulary.most) > 1 + _WORD_MARGIN + -own for vocabulary in known):
            return (), False  # a word no word of the fields is far likelier than
        key = (word, tuple(fields))
        targets = self._targets_memo.get(key)
        if targets is not None:
            return targets, typo
        near: dict[str, list[int]] = {}  # word -> [distance, occurrences]
        for field in fields:
            vocabulary = self._vocabulary(field)
            assert vocabulary is not None
            found = vocabulary.nearest(word, edits, check, frequent=own is not None)
            if typo and omissions:
                found += vocabulary.expansions(word, omissions, check)
            for choice, distance in found:
                # (Words holding what was typed are its own when it starts words: the
                # exact scan finds them. A typo's compete with the others: "ithub".)
                if choice != word and (typo or word not in choice) and choice not in near:
                    # (Counted over every field asked, as what was typed is.)
                    near[choice] = [distance, sum(known_vocabulary.words.get(choice, 0) for known_vocabulary in known)]
        if own is not None and whole > _RARE:
            # A word of the fields: another is meant only if far likelier by plain
            # distance ("leaning" stays itself beside a "learning" 200 times as frequent).
            near = {choice: found for choice, found in near.items()
                    if found[0] - _PER_EDIT * math.log10(1 + found[1]) <= own - _WORD_MARGIN}
        # The distance chose which words to compare; what each edit is worth orders them.
        # (Costed only where it can matter: a word whose edits, at their cheapest,
        # cannot come within the margin of another's at their dearest is left out.)
        weight = {choice: _PER_EDIT * math.log10(1 + count) for choice, (_, count) in near.items()}
        ceiling = min((distance * OTHER - weight[choice] for choice, (distance, _) in near.items()), default=0.0)
        cost = {choice: typing_cost(choice, word) - weight[choice] for choice, (distance, _) in near.items()
                if distance * CHEAPEST - weight[choice] <= ceiling + _COST_MARGIN}
        best = min([*cost.values(), *(() if own is None else (own,))], default=0.0)
        likely = sorted((c for c in cost if cost[c] <= best + _COST_MARGIN), key=lambda c: (cost[c], c))
        likely = likely[:_TYPO_TARGETS]
        # A word holding another kept one first: its papers hold both ("semantics" and
        # "semantic" for "semantisc"), so they fit either reading.
        holds = {c: sum(other in c for other in likely if other != c) for c in likely}
        likely.sort(key=lambda c: -holds[c])
        targets = tuple((choice, near[choice][0]) for choice in likely)
        if len(self._targets_memo) >= _TARGETS_MEMO:
            self._targets_memo.pop(next(iter(self._targets_memo)))
        self._targets_memo[key] = targets
        return targets, typo

    def _rank(self, query: Query, candidates: Sequence[int] | None, abstracts: bool, check: Callable[[], None],
              context: FilterContext, *, scores_out: dict[int, float] | None = None) -> list[int]:
        ids: Sequence[int] = range(len(self.papers)) if candidates is None else candidates
        if _reads_abstracts(query, abstracts):
            self._fold_abstracts(check)  # here, in steps, rather than all at once on first use
        ids = self._filters.apply(ids, query.filters, context)
        for term in query.exclusions:
            ids = minus(ids, self._containing(ids, term, abstracts, check))
        total: dict[int, float] | None = None
        # Longest first: usually the rarest, so the next terms scan fewer papers.
        for term in sorted(query.ids + query.phrases + query.words, key=lambda t: (not t.arxiv_id, -len(t.text))):
            if term.arxiv_id:
                scores = self._id_scores(ids, term, abstracts, check)
            else:
                scores = self._term_scores(ids, term, abstracts, check)
            check()  # (each step below is one C call over up to every id, holding the GIL)
            ids = sorted(scores)  # every term must match (AND), corpus order
            total = scores if total is None else {i: total[i] + scores[i] for i in ids}
        if total is None:
            return list(ids)  # filters only: corpus order
        words = [t.text for t in query.words if t.field in (None, "title")]
        if len(words) > 1:
            # The words side by side in the title, as typed: above scattered or fuzzy ones.
            # (Two or more terms: ``total`` is the sum made above, not a memo's scores.)
            for i in select(self._titles, ids, " ".join(words), check):
                total[i] += 150.0
        check()
        if scores_out is not None:
            scores_out.update(total)
        return self._in_rank_order(ids, total, check)

    def _in_rank_order(self, ids: Sequence[int], scores: dict[int, float], check: Callable[[], None]) -> list[int]:
        """``ids`` (sorted; ``scores`` has exactly them) best score first, then the
        shorter (more focused) title, then corpus order."""
        order = self._title_length_order
        if len(ids) <= len(self.papers) // 8 or order is None:
            # Two stable sorts with C-level keys (no per-paper tuples).
            by_length = sorted(ids, key=self._title_lengths.__getitem__)
            check()
            return sorted(by_length, key=scores.__getitem__, reverse=True)
        # Large: one pass over every paper in title-length order, into a list per score
        # (few distinct values), with a check between steps. Each of the two sorts is
        # one C call, and over a large result it held the GIL against a key too long.
        by_score: dict[float, list[int]] = {}
        score_of, papers_with = scores.get, by_score.get
        for lo in range(0, len(order), _ORDER_STEP):
            for i in order[lo:lo + _ORDER_STEP]:
                score = score_of(i)
                if score is not None:
                    same = papers_with(score)
                    if same is None:
                        by_score[score] = same = []
                    same.append(i)
            check()
        ranked: list[int] = []
        for score in sorted(by_score, reverse=True):
            ranked += by_score[score]
        return ranked

    def _term_scores(self, ids: Sequence[int], term: Term, abstracts: bool,
                     check: Callable[[], None]) -> dict[int, float]:
        """Weighted score of ``term`` for each paper of ``ids`` it matches.

        Every title score (x3) beats every author score (x2), which beats every
        abstract score (x1); within a field a whole word (108) beats a word start
        (104), which beats a match inside a word (100). So each paper takes the first
        match in that order, and each scan only tests the papers not matched yet. A
        word that stands for others (a typo) is scored by _reading_scores.
        """
        fields = self._fields(term, abstracts)
        targets, typo = self._typo_targets(term, abstracts, check)
        if targets:
            return self._reading_scores(ids, term, fields, targets, typo, check)
        scores: dict[int, float] = {}
        rest: Sequence[int] = ids
        whole_corpus = isinstance(ids, range) and len(ids) == len(self.papers)
        memo_key = term if whole_corpus and fields[:2] == ["title", "author"] else None
        memo = self._title_author_memo.get(memo_key) if memo_key is not None else None
        if memo is not None:
            scores, rest = dict(memo[0]), memo[1]
            fields = fields[2:]
        for field in fields:
            if not rest:
                break
            scores, rest = self._score_field(field, term, rest, scores, check)
            if field == "author" and memo_key is not None:
                with self._memo_lock:  # a stale rank may still be running in another worker
                    if len(self._title_author_memo) >= _MEMO_TERMS:
                        self._title_author_memo.pop(next(iter(self._title_author_memo)))
                    # Shared when no field follows: nothing changes a term's scores once
                    # returned (rest is never mutated either).
                    kept = scores if field == fields[-1] else dict(scores)
                    self._title_author_memo[memo_key] = (kept, rest)
        return scores

    def _reading_scores(self, ids: Sequence[int], term: Term, fields: list[FieldName], targets: Targets,
                        typo: bool, check: Callable[[], None]) -> dict[int, float]:
        """Scores of a word that stands for other words: one band per reading, the
        likeliest first, and within a band the field and quality as for any word.

        The bands, best first: the word as typed (for a typo, only where a word starts
        with it: a word seen once); each word it stands for, in order; last, for a
        typo, the typo found inside other words ("oject" in "project"). A paper with
        the likeliest word in its abstract ranks above one with the next in its title:
        which word was meant matters more than where it stands.
        """
        band = _BAND * (len(targets) + 1)
        scores: dict[int, float] = {}
        inside: list[tuple[FieldName, list[int]]] = []
        rest: Sequence[int] = ids
        for field in fields:
            if not rest:
                break
            weight = _WEIGHT[field]
            found = self._in_field(field, rest, term, check)
            starts, whole = self._starts_anywhere(field, found, term.text, check)
            scores.update(dict.fromkeys(starts, band + weight * 104.0))
            scores.update(dict.fromkeys(whole, band + weight * 108.0))
            if typo:
                inside.append((field, found))
                rest = minus(rest, starts)
            else:
                scores.update((i, band + weight * 100.0) for i in found if i not in scores)
                rest = minus(rest, found)
        scans = dict.fromkeys(fields, 0)
        for position, (target, _) in enumerate(targets):
            band = _BAND * (len(targets) - position)
            for field in fields:
                vocabulary = self._vocabulary(field)
                if not rest or scans[field] == _TYPO_SCANS[field]:
                    continue
                if vocabulary is not None and not vocabulary.may_contain(target):
                    continue  # (a word of another field: no scan)
                scans[field] += 1
                hits = self._select_in(field, rest, target, check)
                scores.update(dict.fromkeys(hits, band + _WEIGHT[field] * 96.0))
                rest = minus(rest, hits)
                check()  # (from the postings, a word's papers come without a scan's checks)
        for field, found in inside:
            for i in found:
                if i not in scores:
                    scores[i] = _WEIGHT[field] * 100.0
        return scores

    def _starts_anywhere(self, field: FieldName, found: list[int], word: str,
                         check: Callable[[], None]) -> tuple[Sequence[int], Sequence[int]]:
        """_word_starts, also for abstracts (only lower-cased: a word there starts
        after a space)."""
        if field != "abstract":
            return self._word_starts(field, self._texts(field), found, word, check)
        texts = self._abstracts
        starts = select(texts, found, " " + word, check)
        return starts, [i for i in starts if re.search(rf" {re.escape(word)}\b", texts[i])]

    def _score_field(self, field: FieldName, term: Term, rest: Sequence[int], scores: dict[int, float],
                     check: Callable[[], None]) -> tuple[dict[int, float], Sequence[int]]:
        """Score the papers of ``rest`` that match ``term`` in ``field`` (into ``scores``,
        or a new dict when it is empty); return the scores and the rest that did not match."""
        weight = _WEIGHT[field]
        texts = self._texts(field)
        found = self._in_field(field, rest, term, check)
        exact = weight * (110.0 if term.phrase else 100.0)
        if scores:
            scores.update(dict.fromkeys(found, exact))
        else:  # (a fresh dict is made faster than an empty one is updated)
            scores = dict.fromkeys(found, exact)
        if not term.phrase and field != "abstract":  # word-boundary bonus (cheap on short text)
            starts, whole = self._word_starts(field, texts, found, term.text, check)
            scores.update(dict.fromkeys(starts, weight * 104.0))
            scores.update(dict.fromkeys(whole, weight * 108.0))
        return scores, minus(rest, found)

    def _word_starts(self, field: FieldName, texts: Sequence[str], found: list[int], word: str,
                     check: Callable[[], None]) -> tuple[Sequence[int], Sequence[int]]:
        """Of ``found`` (texts holding ``word``), those where a word starts with it and
        those where it is a whole word. The field's vocabulary and postings answer
        most of it without a scan: "transfor" only ever starts words, "transfor" is
        no word, "tra" starts the words "transformer" and "training"."""
        if " " in word:
            phrase_starts = select(texts, found, " " + word, check)
            return phrase_starts, select(texts, phrase_starts, " " + word + " ", check)
        vocabulary = self._vocab[field]
        holders = vocabulary.containing(word)
        starts: Sequence[int] | None = None
        if holders is None:
            initials = self._postings[field].initials if len(word) == 1 else None
            if initials is not None:
                starts = select(initials, found, word, check)
        else:
            starting = {holder for holder in holders if holder.startswith(word)}
            starts = found if starting == holders else self._held_by(field, starting, found)
        if starts is None:
            starts = select(texts, found, " " + word, check)
        if word not in vocabulary.words:
            return starts, ()
        if holders == {word}:
            return starts, starts
        whole = self._held_by(field, {word}, starts)
        return starts, whole if whole is not None else select(texts, starts, " " + word + " ", check)


def _complete_id(text: str) -> bool:
    return find_arxiv_ids(text) == [text]


def _reads_abstracts(query: Query, abstracts: bool) -> bool:
    """Whether a search for ``query`` looks in abstracts: all its words do when
    ``abstracts``, an ``abstract:`` term always does."""
    return abstracts or any(term.field == "abstract" for term in query.terms)


def _checker(is_cancelled: Callable[[], bool]) -> Callable[[], None]:
    def check() -> None:
        if is_cancelled():
            raise _Cancelled
    return check
