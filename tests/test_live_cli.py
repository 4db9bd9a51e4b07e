"""Source specs on the command line: listed in --help, refused in one line before
any screen, the fetch flags, and `digest-reader parse` with a live source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import LiveServer, Reply, fixture
from tui.live.specs import SPEC_FORMS

REPO = Path(__file__).resolve().parent.parent
DAY = "/api/daily_papers?date=2024-10-22&limit=100&p=0"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60, cwd=REPO,
                          stdin=subprocess.DEVNULL, env=dict(os.environ, TERM="dumb", COLUMNS="200"))


def test_help_lists_every_spec_and_the_flags() -> None:
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for form, _ in SPEC_FORMS:
        assert form in text
    for flag in ("--offline", "--refresh", "--replacements"):
        assert flag in text
    assert "digest-reader cache" in text


@pytest.mark.parametrize(("spec", "words"), [("hf:2999-01-01", "in the future"), ("hf:yesterday", "not a source spec"),
                                             ("arxiv:", "no arXiv category")])
def test_a_bad_spec_is_one_line_and_a_usage_status_before_any_screen(spec: str, words: str) -> None:
    result = run(spec)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-reader: ") and words in lines[0]
    assert "Traceback" not in result.stderr


def test_offline_and_refresh_exclude_each_other() -> None:
    result = run("--offline", "--refresh", "hf")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_parse_fetches_then_reads_the_cache_and_says_which(server: LiveServer) -> None:
    server.route(DAY, Reply(body=fixture("hf_daily_2024-10-22.json")))
    fetched = subprocess.run([sys.executable, "-m", "tui", "parse", "hf:2024-10-22"], capture_output=True, text=True,
                             timeout=60, cwd=REPO, stdin=subprocess.DEVNULL, env=dict(os.environ))
    assert fetched.returncode == 0, fetched.stderr
    data = json.loads(fetched.stdout)
    assert (data["format"], data["source"], len(data["papers"])) == ("hf-json", "hf:2024-10-22", 3)
    assert fetched.stderr.strip().splitlines() == ["digest-reader parse: hf 2024-10-22: 3 papers fetched"]
    cached = subprocess.run([sys.executable, "-m", "tui", "parse", "--offline", "hf:2024-10-22"], capture_output=True,
                            text=True, timeout=60, cwd=REPO, stdin=subprocess.DEVNULL, env=dict(os.environ))
    assert cached.returncode == 0, cached.stderr
    assert json.loads(cached.stdout) == data
    assert "3 papers from the cache" in cached.stderr and "(offline)" in cached.stderr
    assert len(server.requests) == 1


def test_parse_without_a_copy_fails_in_one_line_with_69() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "parse", "hf:2024-10-22"], capture_output=True, text=True,
                            timeout=60, cwd=REPO, stdin=subprocess.DEVNULL, env=dict(os.environ))
    assert result.returncode == 69
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "digest-reader parse: hf 2024-10-22: fetch failed: connection refused"
    ]
