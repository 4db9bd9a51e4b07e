"""config.toml's ``[cache] fresh_minutes`` reaches the cache rule
(docs/live-sources.md, "The cache"): the reader passes it to ``load_live`` as
``fresh_for`` (tests/test_config_ui.py checks that it does)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.live_server import LiveServer, Reply, fixture
from tui.live import LiveResult, load_live, parse_spec
from tui.live.http import HttpLimits

DAY_JSON = fixture("hf_daily_2024-10-22.json")
FAST = HttpLimits(connect_timeout=1.0, response_timeout=1.0, sleep=lambda _: None)
ON_THE_DAY = datetime(2024, 10, 22, 12, 0, tzinfo=UTC)
DAY = "/api/daily_papers?date=2024-10-22&limit=100&p=0"


@pytest.fixture
def day_server(server: LiveServer) -> LiveServer:
    server.route(DAY, Reply(body=DAY_JSON, headers={"ETag": '"v1"'}))
    return server


def load(at: datetime, fresh_for: timedelta | None = None) -> LiveResult:
    spec = parse_spec("hf:2024-10-22", today=datetime(2026, 12, 5).date())
    assert spec is not None
    return load_live(spec, limits=FAST, now=lambda: at, fresh_for=fresh_for)


def test_a_shorter_interval_asks_the_server_sooner(day_server: LiveServer) -> None:
    load(ON_THE_DAY)
    load(ON_THE_DAY + timedelta(minutes=6), fresh_for=timedelta(minutes=5))
    assert len(day_server.requests) == 2  # 6 minutes old: past 5, asked again (15 by default would not)
    assert day_server.requests[-1].headers["if-none-match"] == '"v1"'


def test_a_longer_interval_keeps_the_cached_copy_longer(day_server: LiveServer) -> None:
    load(ON_THE_DAY)
    result = load(ON_THE_DAY + timedelta(minutes=50), fresh_for=timedelta(hours=1))
    assert result.from_cache and len(day_server.requests) == 1


def test_zero_always_asks_the_server(day_server: LiveServer) -> None:
    load(ON_THE_DAY)
    load(ON_THE_DAY, fresh_for=timedelta(0))
    assert len(day_server.requests) == 2


def test_the_default_is_15_minutes(day_server: LiveServer) -> None:
    load(ON_THE_DAY)
    load(ON_THE_DAY + timedelta(minutes=14))
    assert len(day_server.requests) == 1
    load(ON_THE_DAY + timedelta(minutes=16))
    assert len(day_server.requests) == 2
