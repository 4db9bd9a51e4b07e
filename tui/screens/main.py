"""The main screen: list pane, detail pane, search box, header line and footer.

The screen owns one :class:`tui.core.state.ReaderState` and passes its data down
to the widgets; the widgets send messages up (a paper highlighted or chosen, the
query changed). Every change of state returns what must be redrawn, and
:meth:`MainScreen.redraw` is the one place that redraws it. Slow work (reading and
parsing, search, file writes, clipboard, browser) runs in workers or on the store
thread and comes back as messages; the workers' bodies are pure functions
(:mod:`tui.core.scheduling`), the workers here are thin wrappers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from digest_parser import DigestReadError, parse_text
from digest_parser.api import load_progressively
from digest_parser.models import Digest, Paper
from digest_parser.sanitize import clean_line
from tui.core.library import Library, build_library, paper_from_bookmark
from tui.core.paperview import link_to_open, ordered_links, paper_link, pdf_link
from tui.core.query import Query, parse_query, title_highlights
from tui.core.scheduling import Activity, IndexCache, SearchJob, SearchResult, run_stages, warm_index
from tui.core.sorting import ORDERS_BY_NAME, order_rows
from tui.core.state import Changes, ForYou, ReaderState, SimilarView
from tui.keys import screen_bindings
from tui.screens.link_commands import copy_link, copy_text, open_link, send_to_zotero
from tui.stores.persistence import Persistence, StoreSnapshot
from tui.system.textual_internals import repaint_in_this_frame
from tui.system.tuning import freeze_long_lived, keep_read_buffers_out_of_the_heap, settle_long_lived_objects
from tui.widgets.footer import ReaderFooter
from tui.widgets.paper_detail import DetailState, PaperDetail
from tui.widgets.paper_list import PaperList, RowMarks

if TYPE_CHECKING:
    from tui.core.similar import SimilarityIndex
    from tui.core.sources import DigestSource
    from tui.live import LiveResult

NARROW_WIDTH = 100
"""Below this many columns the detail pane opens full screen instead of beside the list."""

REFRESH_SECONDS = 2.0
"""How often to look for bookmark/read changes made by another running instance."""

READ_FLUSH_SECONDS = 1.0
"""Papers marked read on screen are written in batches this often."""

SIMILAR_LIMIT = 50
"""How many papers `m` lists."""

FETCH_TICK_SECONDS = 0.5
"""While a live source is fetched, the header's elapsed time moves this often."""


class MainScreen(Screen[None]):
    """List pane, detail pane, search box, header line and footer."""

    # The footer shows how to go back wherever there is somewhere to go back
    # from (check_action hides it elsewhere): from the detail pane full screen
    # above all, which hides the list.
    BINDINGS = [replace(binding, show=True) if binding.id == "back" else binding for binding in screen_bindings()]

    @dataclass
    class LibraryLoaded(Message):
        """The papers loaded so far (posted from the loading worker)."""

        library: Library
        done: int
        total: int
        partial: bool = False
        """More of the current digest is still coming."""

    @dataclass
    class LoadFailed(Message):
        path: str
        error: str
        fatal: bool
        exit_code: int = 65

    @dataclass
    class FetchProgress(Message):
        spec_text: str
        received: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MainScreen.FetchProgress) and message.spec_text == self.spec_text

    @dataclass
    class Fetched(Message):
        spec_text: str
        result: LiveResult

    @dataclass
    class SearchDone(Message):
        result: SearchResult

    @dataclass
    class WarmIndex(Message):
        """A search finished: resume building the index of *papers*."""

        papers: tuple[Paper, ...]

    @dataclass
    class StoresChanged(Message):
        snapshot: StoreSnapshot

    def __init__(self) -> None:
        super().__init__()
        self.state = ReaderState()
        self.persistence: Persistence | None = None
        self._indexes = IndexCache(settle=settle_long_lived_objects)
        self._searching = Activity()
        self._similar_cache: tuple[tuple[Paper, ...], SimilarityIndex] | None = None
        self._corpus_cache: tuple[Library, frozenset[str], tuple[Paper, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="top-bar", markup=False)
        yield Input(id="search", placeholder="Search: words, \"phrase\", -exclude, title: author: has:code is:unread …")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield PaperList(id="papers")
                yield Static(id="empty", markup=False)
            yield PaperDetail(id="detail")
        yield ReaderFooter()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def search_box(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def current_paper(self) -> Paper | None:
        return self.paper_list.current_paper

    @property
    def detail_visible(self) -> bool:
        return not self.has_class("-narrow") or self.has_class("-detail-open")

    def on_mount(self) -> None:
        self._update_layout_class(self.size.width)
        self.set_focus(self.paper_list)
        self.redraw(Changes.HEADER)
        self.query_one("#empty", Static).update(Content("Loading…"))
        self.persistence = Persistence(
            lambda snapshot: self.post_message(self.StoresChanged(snapshot)),
            getattr(self.app, "bookmarks_path", None),
        )
        # After the first frame: reading the files (and importing the stores) on the
        # store thread would otherwise compete with it for the GIL.
        self.call_after_refresh(self.persistence.load)
        self.set_interval(REFRESH_SECONDS, self.poll_stores)
        self.set_interval(READ_FLUSH_SECONDS, self.flush_read)
        self._fetch_ticker = self.set_interval(FETCH_TICK_SECONDS, self._fetch_tick, pause=True)
        sources = self.app.sources  # type: ignore[attr-defined]
        if sources and all(source.digest is not None for source in sources):
            # Parsed before the app started (small digests): show them in the
            # first frame rather than one worker round trip later.
            digests = [source.digest for source in sources if source.digest is not None]
            self._library_loaded(self.LibraryLoaded(build_library(digests), len(digests), len(digests)))
        elif self._announce_fetches(sources):
            # The first frame says what is being fetched; the worker that imports the
            # HTTP client and fetches starts after it, not competing with it.
            self.call_after_refresh(self.load_digests)
        else:
            self.load_digests()

    def on_unmount(self) -> None:
        if self.persistence is not None:
            self.flush_read()
            self.persistence.close()

    def on_resize(self) -> None:
        self._update_layout_class(self.size.width)

    def _update_layout_class(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    # ---- drawing what changed ----------------------------------------------------------

    def redraw(self, changes: Changes, *, keep_key: str | None = None, keep_current: bool = True) -> None:
        """Bring the widgets in line with the state: the one place that does."""
        state = self.state
        if Changes.VIEW in changes:
            if state.needs_sorting and not state.loading:
                self._sort(state.view_papers, state.sort)
            self._run_search(state.search.query)  # (it redraws the rows and the header)
            if self.has_class("-searching") and not state.loading and state.view_papers:
                self._build_index(state.view_papers)
        if Changes.ROWS in changes:
            self._show_rows(keep_key=keep_key, keep_current=keep_current)
        if Changes.MARKS in changes or Changes.ROWS in changes:
            self.paper_list.set_marks(RowMarks(bookmarked=state.bookmarked, read=state.read, version=state.read_version,
                                               tagged=state.tagged))
        if Changes.HEADER in changes or Changes.ROWS in changes:
            self._draw_top_bar()
        if Changes.DETAIL in changes:
            paper = self.detail.paper
            if paper is not None:
                self.detail.show(paper, self._detail_state(paper), keep_scroll=True)

    def _show_rows(self, *, keep_key: str | None, keep_current: bool) -> None:
        state = self.state
        if keep_key is None and keep_current and self.current_paper is not None:
            keep_key = self.current_paper.key
        highlighter = None
        if state.searching:
            query = state.search.query
            highlighter = lambda title: title_highlights(query, title)  # noqa: E731
        annotator = state.annotation if state.similar is not None or state.sort == "for_you" else None
        self.paper_list.show(state.view_papers, state.rows, keep_key=keep_key, highlighter=highlighter,
                             annotator=annotator)
        message = state.empty_message(now=time.monotonic())
        self.set_class(message is not None, "-empty")
        if message is None:
            if self.focused is None:
                # Hiding the list while it was empty took the focus away.
                self.set_focus(self.paper_list)
            return
        # (The explanation quotes the query: digest-like text, cleaned line by line.)
        self.query_one("#empty", Static).update(Content("\n".join(map(clean_line, message.split("\n")))))

    def _draw_top_bar(self) -> None:
        parts = self.state.header_parts(demo=getattr(self.app, "demo", False), now=time.monotonic())
        # One line of fixed height: no layout pass needed (this runs on cursor moves).
        self.query_one("#top-bar", Static).update(Content("  ·  ".join(clean_line(part) for part in parts)), layout=False)

    def _detail_state(self, paper: Paper) -> DetailState:
        marks = self.state.marks_of(paper)
        return DetailState(bookmarked=marks.bookmarked, read=marks.read, note=marks.note, also_in=marks.also_in,
                           tags=marks.tags, closest_bookmark=marks.closest_bookmark)

    # ---- loading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Loading digests")
    def load_digests(self) -> None:
        worker = get_current_worker()
        key_pause = self.app.key_pause  # type: ignore[attr-defined]
        sources = self.app.sources  # type: ignore[attr-defined]
        digest_format = self.app.digest_format  # type: ignore[attr-defined]
        total = len(sources)
        # Merging (one dict insert per paper) runs here too, not on the UI thread.
        digests: list[Digest] = []
        if not total:
            self.post_message(self.LibraryLoaded(build_library(digests), 0, 0))
            return

        def cancelled() -> bool:
            return worker.is_cancelled

        # Live sources are all fetched at once, each in a thread of its own, while
        # the files load here in order.
        fetches = {source.path: self._start_fetch(source, cancelled) for source in sources if source.live is not None}
        for done, source in enumerate(sources, 1):
            if worker.is_cancelled:
                return
            try:
                if source.live is not None:
                    digest = self._await_fetch(source, fetches[source.path], cancelled)
                    if digest is None:
                        return  # cancelled: quit, another day, or fetched again
                elif source.digest is not None:
                    digest = source.digest
                elif source.text is not None:
                    digest = parse_text(source.text, source=source.path, format=digest_format)
                else:
                    # A large digest arrives in parts: its first titles show
                    # while the rest is still being read.
                    keep_read_buffers_out_of_the_heap()
                    digest = None
                    for digest in load_progressively(source.path, format=digest_format):
                        key_pause.wait(cancelled)  # cursor keys go first
                        if worker.is_cancelled:
                            return
                        self.post_message(self.LibraryLoaded(build_library([*digests, digest]), done - 1, total, True))
            except DigestReadError as error:
                self.post_message(self.LoadFailed(source.path, str(error), fatal=not source.optional))
                digest = Digest(format="none", source=source.path)
            assert digest is not None
            digests.append(digest)
            self.post_message(self.LibraryLoaded(build_library(digests), done, total))

    def _start_fetch(self, source: DigestSource, cancelled: Callable[[], bool]) -> Future[LiveResult]:
        """Fetch a live source in a daemon thread: a request stuck in the network
        must not keep the process alive once the user quits (a worker's own
        thread is joined at exit)."""
        from tui.live import load_live  # on first use: httpx and the cache

        live = source.live
        assert live is not None
        spec_text = source.path
        future: Future[LiveResult] = Future()

        def progress(received: int, _elapsed: float) -> None:
            self.post_message(self.FetchProgress(spec_text, received))

        def fetch() -> None:
            try:
                future.set_result(load_live(live, mode=source.live_mode, replacements=source.replacements,
                                            progress=progress, cancelled=cancelled, empty_step=source.empty_step,
                                            fresh_for=getattr(self.app, "fresh_for", None)))
            except BaseException as error:  # handed to the loading worker, which reports it
                future.set_exception(error)

        threading.Thread(target=fetch, name=f"fetch {live.label}", daemon=True).start()
        return future

    def _await_fetch(self, source: DigestSource, future: Future[LiveResult],
                     cancelled: Callable[[], bool]) -> Digest | None:
        """The fetched digest; None when the worker was cancelled first. A failure
        with nothing cached ends the app with one line (exit status 69, or 65 for
        bad data), as it would before the screen."""
        from tui.live import FetchCancelled, FetchError

        while not future.done():
            if cancelled():
                return None
            wait_for_futures([future], timeout=0.05)
        try:
            result = future.result()
        except FetchCancelled:
            return None
        except FetchError as error:
            self.post_message(self.LoadFailed(source.path, error.message, fatal=not source.optional,
                                              exit_code=error.exit_code))
            return Digest(format="none", source=source.path)
        self.post_message(self.Fetched(source.path, result))
        return result.digest

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.redraw(self.state.loaded(message.library, message.done, message.total, partial=message.partial))
        if not self.state.loading:
            # The papers live as long as the reader: out of the cyclic GC's full
            # collections with them (and what the app built so far).
            freeze_long_lived()
            self._report_problems()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.fatal:
            self.app.fail(message.error, exit_code=message.exit_code)  # type: ignore[attr-defined]
            return
        self.notify(clean_line(message.error), title="Skipped a file", severity="warning", markup=False)

    # ---- sorting -------------------------------------------------------------------------

    @dataclass
    class Sorted(Message):
        papers: tuple[Paper, ...]
        name: str
        rows: list[int]

    def action_cycle_sort(self) -> None:
        self.state.for_you_tag = None  # (a tag's "for you" is chosen in the command palette)
        self.sort_by(self.state.next_sort().name)

    def sort_by(self, name: str) -> None:
        """Sort the list by the order *name* (tui.core.sorting); the command palette
        offers each order by name."""
        self.redraw(self.state.choose_sort(name))
        if self.state.needs_sorting:
            self._sort(self.state.view_papers, name)
        title = ORDERS_BY_NAME[name].title
        self.notify(f"Sorted: {title}." + (" The search keeps its ranked order." if self.state.searching else ""),
                    markup=False, timeout=2)

    @work(thread=True, exclusive=True, group="sort", exit_on_error=False, description="Sorting")
    def _sort(self, papers: tuple[Paper, ...], name: str) -> None:
        worker = get_current_worker()
        key_pause = self.app.key_pause  # type: ignore[attr-defined]

        def cancelled() -> bool:
            key_pause.wait(lambda: worker.is_cancelled)  # a key just came: let it through
            return worker.is_cancelled

        if ORDERS_BY_NAME[name].by_likeness:
            ranked = self._rank_for_you(papers, self.state.for_you_tag, lambda: worker.is_cancelled)
            if ranked is not None:
                self.post_message(self.SortedForYou(papers, ranked[0], ranked[1]))
            return
        rows = order_rows(papers, ORDERS_BY_NAME[name], cancelled)
        if rows is not None:
            self.post_message(self.Sorted(papers, name, rows))

    @dataclass
    class SortedForYou(Message):
        papers: tuple[Paper, ...]
        rows: list[int]
        for_you: ForYou

    @on(SortedForYou)
    def _sorted_for_you(self, message: SortedForYou) -> None:
        self.redraw(self.state.sorted_for_you(message.papers, message.rows, message.for_you), keep_current=True)
        if message.for_you.note:
            self.notify(f"For you: {message.for_you.note}. Press b on papers you like.", markup=False, timeout=5)

    @on(Sorted)
    def _sorted(self, message: Sorted) -> None:
        self.redraw(self.state.sorted_rows(message.papers, message.name, message.rows), keep_current=True)

    # ---- more like this, and the "for you" order ------------------------------------------

    @dataclass
    class SimilarReady(Message):
        view: SimilarView

    def _similarity_index(self, corpus: tuple[Paper, ...], cancelled: Callable[[], bool]) -> SimilarityIndex | None:
        """The similarity index of *corpus*, built once (in the calling worker, in steps
        that step aside for keys); None when cancelled."""
        cached = self._similar_cache
        if cached is not None and cached[0] is corpus:
            return cached[1]
        from tui.core.similar import SimilarityIndex

        key_pause = self.app.key_pause  # type: ignore[attr-defined]

        def is_cancelled() -> bool:
            key_pause.wait(cancelled)  # a key just came: let it through
            return cancelled()

        index = SimilarityIndex.build(corpus, is_cancelled=is_cancelled)
        if index is not None:
            self._similar_cache = (corpus, index)
        return index

    def action_more_like_this(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        if self.state.similar is not None and paper.key == self.state.similar.source.key:
            return
        self.notify(f"Finding papers like: {clean_line(paper.title)[:60]}…", markup=False, timeout=2)
        self._find_similar(paper, self._similar_corpus())

    def _similar_corpus(self) -> tuple[Paper, ...]:
        """The open digests' papers, then the bookmarks that are in none of them."""
        state = self.state
        cached = self._corpus_cache
        if cached is not None and cached[0] is state.library and cached[1] == state.bookmarked:
            return cached[2]
        present = {paper.key for paper in state.library.papers}
        standalone = tuple(paper_from_bookmark(bookmark) for key, bookmark in state.bookmarks.items()
                           if key not in present)
        corpus = state.library.papers + standalone
        self._corpus_cache = (state.library, state.bookmarked, corpus)
        return corpus

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False, description="Finding similar papers")
    def _find_similar(self, paper: Paper, corpus: tuple[Paper, ...]) -> None:
        worker = get_current_worker()
        index = self._similarity_index(corpus, lambda: worker.is_cancelled)
        if index is None or worker.is_cancelled:
            return
        position = next((i for i, other in enumerate(corpus) if other.key == paper.key), None)
        if position is not None:
            found = index.similar_to(position, limit=SIMILAR_LIMIT)
        else:
            found = index.similar_to_text(paper.title, paper.abstract, limit=SIMILAR_LIMIT, exclude_key=paper.key)
        back_to = self.state.similar.back_to if self.state.similar is not None else paper.key
        self.post_message(self.SimilarReady(SimilarView(paper, tuple(corpus[i] for i, _ in found),
                                                        tuple(score for _, score in found), back_to)))

    @on(SimilarReady)
    def _similar_ready(self, message: SimilarReady) -> None:
        view = message.view
        if not view.papers:
            self.notify("No paper here shares its words with this one.", markup=False, timeout=4)
            return
        with self.search_box.prevent(Input.Changed):
            self.search_box.value = ""
        self.remove_class("-searching")
        self.redraw(self.state.show_similar(view), keep_current=False)
        self.set_focus(self.paper_list)
        self.refresh_bindings()

    def _leave_similar(self) -> None:
        similar = self.state.similar
        if similar is None:
            return
        self.redraw(self.state.leave_similar(), keep_key=similar.back_to)
        self.redraw(Changes.ROWS, keep_key=similar.back_to)
        self.refresh_bindings()

    def sort_for_you(self, tag: str | None = None) -> None:
        """Sort the list by likeness to the bookmarks (those with *tag*, when given)."""
        self.state.for_you_tag = tag
        self.sort_by("for_you")

    def _rank_for_you(self, papers: tuple[Paper, ...], tag: str | None,
                      cancelled: Callable[[], bool]) -> tuple[list[int], ForYou] | None:
        """The "for you" order of *papers* and each paper's closest bookmark."""
        state = self.state
        abstracts = {paper.key: paper.abstract for paper in state.library.papers}
        profile = [(key, bookmark.title, abstracts.get(key) or bookmark.note)
                   for key, bookmark in state.bookmarks.items()
                   if tag is None or key in state.tags.get(tag.lower(), frozenset())]
        if not profile:
            why = f"no bookmark has the tag {tag}" if tag else "no bookmarks yet"
            return list(range(len(papers))), ForYou(tag, {}, f"{why}, digest order")
        index = self._similarity_index(papers, cancelled)
        if index is None:
            return None
        key_pause = self.app.key_pause  # type: ignore[attr-defined]

        def is_cancelled() -> bool:
            key_pause.wait(cancelled)  # a key just came: let it through
            return cancelled()

        ranked = index.rank_for(profile, is_cancelled=is_cancelled)
        if ranked is None:
            return None
        closest = {papers[i].key: (profile[position][1], score) for i, score, position in ranked if position >= 0}
        return [i for i, _, _ in ranked], ForYou(tag, closest)

    # ---- live sources --------------------------------------------------------------------

    def _announce_fetches(self, sources: tuple[DigestSource, ...]) -> bool:
        """Show the live sources of *sources* as being fetched, in this very frame
        (the worker that fetches them starts after it); whether there are any."""
        now = time.monotonic()
        changes = Changes.NONE
        for source in sources:
            if source.live is not None:
                changes |= self.state.fetch_started(source.path, source.live.label, now)
        if changes:
            self.redraw(changes)
            self._fetch_ticker.resume()
        return bool(changes)

    @on(FetchProgress)
    def _fetch_progress(self, message: FetchProgress) -> None:
        self.redraw(self.state.fetch_progress(message.spec_text, message.received))

    @on(Fetched)
    def _fetched(self, message: Fetched) -> None:
        from tui.live import status_text

        result = message.result
        status = status_text(result, datetime.now(UTC))
        self.redraw(self.state.fetch_done(message.spec_text, result.spec, status))
        if not self.state.fetching:
            self._fetch_ticker.pause()
        if result.note:
            self.notify(clean_line(result.note), title=clean_line(result.spec.label), markup=False, timeout=8)
        if result.stale_reason and result.stale_reason != "offline":
            self.notify(clean_line(status), title=clean_line(result.spec.label), severity="warning",
                        markup=False, timeout=8)

    def _fetch_tick(self) -> None:
        if self.state.fetching:
            self.redraw(Changes.HEADER | (Changes.ROWS if not self.state.rows else Changes.NONE))

    def _reload(self, sources: tuple[DigestSource, ...]) -> None:
        """Load *sources* instead of what is open (the loading worker is exclusive:
        a load still running is cancelled)."""
        self.app.sources = sources  # type: ignore[attr-defined]
        self.redraw(self.state.reloading())
        self._announce_fetches(sources)
        self.load_digests()

    def action_refetch(self) -> None:
        sources: tuple[DigestSource, ...] = self.app.sources  # type: ignore[attr-defined]
        if not any(source.live is not None for source in sources):
            self.notify("Nothing here was fetched: ctrl+r fetches live sources (hf, arxiv:CAT) again.",
                        markup=False, timeout=4)
            return
        self._reload(tuple(replace(source, live_mode="refresh") if source.live is not None else source
                           for source in sources))

    def action_previous_day(self) -> None:
        self._step_day(-1)

    def action_next_day(self) -> None:
        self._step_day(+1)

    def _step_day(self, days: int) -> None:
        """[ and ]: the Hugging Face day before or after the one shown."""
        sources: tuple[DigestSource, ...] = self.app.sources  # type: ignore[attr-defined]
        for position, source in enumerate(sources):
            if source.live is None or source.live.day is None:
                continue
            # From the day shown: an empty day may have stepped back from the one asked for.
            status = self.state.fetches.get(source.path)
            shown = status.shown if status is not None else None
            stepped = (shown or source.live).step(days)
            if stepped is None:
                self.notify("There is no later day yet." if days > 0 else "There is no earlier day.",
                            markup=False, timeout=3)
                return
            new_source = replace(source, path=stepped.text, live=stepped, live_mode="auto", empty_step=days)
            self._reload((*sources[:position], new_source, *sources[position + 1:]))
            return
        self.notify("[ and ] step through the days of a Hugging Face source (digest-reader hf).",
                    markup=False, timeout=4)

    def _report_problems(self) -> None:
        problems = self.state.library.problems
        if problems:
            self.notify(
                f"{len(problems)} block(s) could not be used; press P to see them.",
                title="Parse problems",
                severity="warning",
                markup=False,
            )

    # ---- search --------------------------------------------------------------------------

    def action_search(self) -> None:
        if self.search_box.has_focus:  # "/" is a priority key: inside the box it is text
            self.search_box.insert_text_at_cursor("/")
            return
        # set_focus, not focus(): focus() waits for the message queue, and the
        # keys typed right after "/" are already in it; they must reach the box.
        self.add_class("-searching")
        self.set_focus(self.search_box)
        # The index is built when search is first wanted, while the user types,
        # so reading alone stays light.
        papers = self.state.view_papers
        if self._indexes.peek(papers) is None and not self.state.loading and papers:
            self._build_index(papers)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._run_search(parse_query(event.value))

    def _query_submitted(self) -> None:
        """Enter in the search box (a priority key, see tui/keys.py): to the first result."""
        self.paper_list.cursor = 0
        self.set_focus(self.paper_list)
        self._show_detail(self.current_paper)  # now it is in front of the user

    def _run_search(self, query: Query) -> None:
        """Show the rows for *query*: at once when it constrains nothing; else stage 1
        here when it is cheap (or in the worker), then the worker's ranked stage 2."""
        state = self.state
        papers = state.view_papers
        job, quick = state.search.start(query, papers, bookmarked=state.bookmarked, read=state.read,
                                        index=self._indexes.peek(papers), tagged=state.tagged, tags=state.tags)
        if job is None:
            self.redraw(state.show_all())
            return
        if quick is not None:
            self._take_result(quick)
            # The box asked for its repaint before this ran; the new rows and counter
            # must be in the same frame as the key's echo.
            repaint_in_this_frame(self.paper_list, self.query_one("#top-bar"))
        self._search(job)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def _search(self, job: SearchJob) -> None:
        worker = get_current_worker()
        with self._searching:
            run_stages(job, self._indexes, post=lambda result: self.post_message(self.SearchDone(result)),
                       cancelled=lambda: worker.is_cancelled, key_pause=self.app.key_pause)  # type: ignore[attr-defined]
        if not worker.is_cancelled:
            # Resume warming the abstract side (workers start on the UI thread).
            self.post_message(self.WarmIndex(job.papers))

    @on(WarmIndex)
    def _warm_index(self, message: WarmIndex) -> None:
        if message.papers is self.state.view_papers:
            self._build_index(message.papers)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="Indexing for search")
    def _build_index(self, papers: tuple[Paper, ...]) -> None:
        worker = get_current_worker()
        warm_index(papers, self._indexes, self._searching, cancelled=lambda: worker.is_cancelled,
                   key_pause=self.app.key_pause)  # type: ignore[attr-defined]

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        self._take_result(message.result)

    def _take_result(self, result: SearchResult) -> None:
        # Typing puts the cursor on the best match; once the user moved into the
        # results, a late ranked order keeps their paper selected.
        self.redraw(self.state.show_result(result), keep_current=not self.search_box.has_focus)

    def _clear_search(self) -> None:
        keep = self.current_paper.key if self.current_paper else None
        self.remove_class("-searching")
        with self.search_box.prevent(Input.Changed):
            self.search_box.value = ""
        self.redraw(self.state.clear_search(), keep_key=keep)
        self.set_focus(self.paper_list)
        self.refresh_bindings()

    # ---- selection and read state ----------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        self._show_detail(message.paper)

    @on(PaperList.Chosen)
    def _chosen(self) -> None:
        self.action_open_detail()

    def _show_detail(self, paper: Paper | None) -> None:
        if paper is None:
            self.detail.show(None, DetailState(empty_message="No paper selected."))
            return
        # Read means "its detail was in front of the user": not while they type
        # a query and the first result flickers through the pane.
        if self.detail_visible and not self.search_box.has_focus:
            self.redraw(self.state.mark_read_locally(paper.key))
        self.detail.show(paper, self._detail_state(paper))

    def flush_read(self) -> None:
        """Hand the papers marked read on screen to the store (batched)."""
        if self.persistence is not None:
            keys = self.state.take_pending_read()
            if keys:
                self.persistence.mark_read(keys)

    # ---- stores ----------------------------------------------------------------------------

    def poll_stores(self) -> None:
        """Pick up changes another running reader made to the files."""
        if self.persistence is not None and self.state.stores_ready:
            self.persistence.refresh()

    @on(StoresChanged)
    def _stores_changed(self, message: StoresChanged) -> None:
        snapshot = message.snapshot
        for notice in snapshot.notices:
            self.notify(notice.text, title=notice.title, severity=notice.severity, markup=False, timeout=10)
        if snapshot.info and not snapshot.error:
            self.notify(snapshot.info, markup=False, timeout=2)
        self.redraw(self.state.stores_changed(snapshot.bookmarks, snapshot.read))

    # ---- actions: moving -------------------------------------------------------------------

    def action_switch_pane(self) -> None:
        if self.detail.has_focus:
            self.action_back()
        else:
            self.action_open_detail()

    def action_open_detail(self) -> None:
        if self.search_box.has_focus:
            self._query_submitted()
            return
        paper = self.current_paper
        if paper is None:
            return
        self.add_class("-detail-open")
        self.set_focus(self.detail)
        self._show_detail(paper)
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.maximized is not None:  # (ctrl+p Maximize; Esc itself is Textual's)
            self.minimize()
            return
        if self.search_box.has_focus or (self.has_class("-searching") and not self.detail.has_focus):
            self._clear_search()
            return
        if self.state.similar is not None and not self.detail.has_focus:
            self._leave_similar()
            return
        self.remove_class("-detail-open")
        self.set_focus(self.paper_list)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self._can_go_back()
        return True

    def _can_go_back(self) -> bool:
        """Whether Esc (back) has anything to do: the footer shows it only then."""
        return (self.maximized is not None or self.has_class("-detail-open") or self.has_class("-searching")
                or self.state.similar is not None or isinstance(self.focused, PaperDetail))

    def watch_maximized(self) -> None:
        self.refresh_bindings()  # (ctrl+p Maximize: the footer says how to come back)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(getattr(self.app, "keymap", None)))

    def action_show_problems(self) -> None:
        from tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.state.library.problems))

    def action_quit(self) -> None:
        self.app.exit()

    # ---- actions: bookmarks and read state -------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        paper = self.current_paper
        if paper is None or self.persistence is None:
            return
        lost = self.state.unbookmarking_loses(paper)
        if lost is None:
            self.persistence.toggle_bookmark(paper, digest_date=self._digest_date())
            return
        # A note or tags cannot be had back once the bookmark is gone: ask first.
        from tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes and self.persistence is not None and paper.key in self.state.bookmarked:
                self.persistence.toggle_bookmark(paper, digest_date=self._digest_date())

        marks = self.state.marks_of(paper)
        details = [f"Note: {marks.note}"] if marks.note.strip() else []
        if marks.tags:
            details.append("Tags: " + " ".join(f"#{tag}" for tag in marks.tags))
        self.app.push_screen(ConfirmDialog("Remove bookmark", f"Remove the bookmark of “{paper.title}” and {lost}?",
                                           details, "y removes it · n or Esc keeps it"), answered)

    def action_toggle_bookmarks_view(self) -> None:
        self.redraw(self.state.toggle_bookmarks_view())

    async def action_edit_note(self) -> None:
        if self.search_box.has_focus:
            raise SkipAction()  # "n" is a priority key: inside the search box it is text
        paper = self.current_paper
        if paper is None or self.persistence is None:
            return
        from tui.screens.dialogs import NoteEditor

        def save(note: str | None) -> None:
            if note is not None and self.persistence is not None:
                self.persistence.set_note(paper, note, digest_date=self._digest_date())

        # Awaited: the app routes no further key until the editor is mounted and
        # its input has the focus, so every key typed after "n" lands in the note.
        await self.app.push_screen(NoteEditor(paper.title, self.state.marks_of(paper).note), save)

    async def action_edit_tags(self) -> None:
        if self.search_box.has_focus:
            raise SkipAction()  # "t" is a priority key: inside the search box it is text
        paper = self.current_paper
        if paper is None or self.persistence is None:
            return
        from tui.screens.dialogs import TagEditor
        from tui.stores.tags import all_tags, parse_tags

        def save(text: str | None) -> None:
            if text is not None and self.persistence is not None:
                self.persistence.set_tags(paper, parse_tags(text), digest_date=self._digest_date())

        # Awaited, as for the note: the keys typed right after "t" land in the editor.
        known = all_tags(self.state.bookmarks)
        await self.app.push_screen(TagEditor(paper.title, self.state.marks_of(paper).tags, known), save)

    def action_toggle_read(self) -> None:
        paper = self.current_paper
        if paper is None or self.persistence is None:
            return
        self.flush_read()  # (a batch written later must not undo this)
        changes, now_read = self.state.toggle_read(paper.key)
        self.redraw(changes)
        self.persistence.mark_read([paper.key], now_read)

    def action_mark_visible_read(self) -> None:
        if self.persistence is None or not self.state.rows:
            return
        changes, keys = self.state.mark_rows_read()
        self.redraw(changes)
        self.persistence.mark_read(keys)
        undo = self.state.read_undo
        if undo is None or not undo.keys:
            self.notify("Every paper in the list was already read.", markup=False, timeout=3)
            return
        # No question before: R is undone as easily (U), without a dialog in the way.
        self.notify(f"Marked {len(undo.keys)} paper(s) read — {self.key_for('undo_read')} to undo.",
                    markup=False, timeout=8)

    def action_undo_read(self) -> None:
        if self.persistence is None:
            return
        self.flush_read()  # (in order: what was marked read on screen is written first)
        changes, keys = self.state.undo_mark_rows_read()
        if not keys:
            self.notify(f"Nothing to undo: {self.key_for('undo_read')} undoes the last "
                        f"{self.key_for('mark_visible_read')} (mark all read).", markup=False, timeout=4)
            return
        self.redraw(changes)
        self.persistence.mark_read(keys, False)
        self.notify(f"{len(keys)} paper(s) unread again.", markup=False, timeout=3)

    def key_for(self, binding_id: str) -> str:
        """The key of a binding as the footer shows it, after the user's keymap."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return binding_id

    # ---- actions: links ----------------------------------------------------------------------

    def action_copy_code(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        if not paper.code_url:
            self.notify("No code link for this paper; the clipboard is unchanged.", markup=False, timeout=3)
            return
        copy_link(self.app, paper.code_url)

    def action_copy_paper(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        url = paper_link(paper)
        if url is None:
            self.notify("This paper has no paper link (arXiv, Hugging Face, DOI…); the clipboard is unchanged."
                        " u lists every link.", markup=False, timeout=4)
            return
        copy_link(self.app, url)

    def _bibtex(self, paper: Paper) -> str:
        """The entry ``Y`` copies and ``Z`` sends: a bookmarked paper's year from what its bookmark
        kept, so it is the entry ``bookmarks --format bibtex`` writes (docs/citing.md)."""
        from tui.core.bibtex import entry_for_bookmark, entry_for_paper  # on first use

        marks = self.state.marks_of(paper)
        bookmark = self.state.bookmarks.get(paper.key)
        if bookmark is None:
            return entry_for_paper(paper, tags=marks.tags, note=marks.note, digest_date=self._digest_date())
        if paper.get_extra("bookmark_only"):
            return entry_for_bookmark(bookmark)  # a stand-in: the bookmark is all there is
        return entry_for_paper(
            paper, tags=marks.tags, note=marks.note, digest_date=bookmark.digest_date or None, added=bookmark.added
        )

    def _digest_date(self) -> str | None:
        """The date of the digest the papers came from, for a citation's year (docs/citing.md).

        None when several digests are open: the library's date is the first
        dated one's, which may not be the paper's.
        """
        library = self.state.library
        return library.date if len(library.sources) <= 1 else None

    def action_copy_bibtex(self) -> None:
        paper = self.current_paper
        if paper is not None:
            copy_text(self.app, self._bibtex(paper), "the BibTeX entry")

    def action_send_to_zotero(self) -> None:
        paper = self.current_paper
        if paper is not None:
            send_to_zotero(self.app, self._bibtex(paper), base_url=getattr(self.app, "zotero_url", None))

    def action_open_paper(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        url = paper_link(paper)
        if url is None:
            self.notify("This paper has no paper link (arXiv, Hugging Face, DOI…) to open. u lists every link.",
                        markup=False, timeout=4)
            return
        open_link(self.app, url)

    def action_open_pdf(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        url = pdf_link(paper)
        if url is None:
            self.notify("This paper has no PDF link (it has no arXiv id). u lists every link.", markup=False, timeout=4)
            return
        open_link(self.app, url)

    def action_open_link(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        url = link_to_open(paper)
        if url is None:
            self.notify("This paper has no link to open.", markup=False, timeout=3)
            return
        open_link(self.app, url)

    def action_pick_link(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        links = ordered_links(paper)
        if not links:
            self.notify("This paper has no links.", markup=False, timeout=3)
            return
        from tui.screens.dialogs import LinkChoice, LinkPicker

        def chosen(choice: LinkChoice | None) -> None:
            if choice is None:
                return
            if choice.verb == "open":
                open_link(self.app, choice.link.url)
            else:
                copy_link(self.app, choice.link.url)

        self.app.push_screen(LinkPicker(paper.title, links), chosen)
