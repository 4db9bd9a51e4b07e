"""Shared test set-up: every test gets its own data directory and cache, so no test
ever reads or writes the real bookmarks of whoever runs the suite, and the live
sources point at an unroutable address, so no test reaches the internet."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.live_server import LiveServer, isolate, serving

settings.register_profile("ci", max_examples=400, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_d0c6732df6c45d95.txt"
SAMPLES = SHARED / "formats" / "samples"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("DIGEST_READER_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DIGEST_READER_BOOKMARKS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(data_dir / "xdg"))
    monkeypatch.setenv("DIGEST_READER_CONFIG_DIR", str(data_dir / "config"))
    monkeypatch.delenv("DIGEST_READER_CONFIG", raising=False)
    return data_dir


@pytest.fixture(autouse=True)
def offline_live_sources(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The live sources' cache in a fresh folder, their servers unroutable."""
    cache_dir = tmp_path_factory.mktemp("cache")
    isolate(monkeypatch, cache_dir)
    return cache_dir


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """A live-source test server on 127.0.0.1 that both sources point at."""
    with serving() as running:
        monkeypatch.setenv("HF_ENDPOINT", running.url)
        monkeypatch.setenv("DIGEST_READER_ARXIV_RSS", running.url)
        yield running


@pytest.fixture(autouse=True)
def gc_unfrozen_after_test() -> Iterator[None]:
    """The reader gc.freeze()s its papers once loaded; in one test process that would
    keep every earlier test's cyclic garbage for good."""
    yield
    gc.unfreeze()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the shared seed digest is not present")
    return SEED


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.exists():
        pytest.skip("the shared format samples are not present")
    return SAMPLES
