"""The torture suite: what the stores and the reader survive, as figures.

    python -m bench.torture --quick       # about 30 s: what tests/test_torture.py runs
    python -m bench.torture               # the full run bench/README.md quotes
    python -m bench.torture --strict      # exit 1 when any case broke, lost or leaked

Groups (each module's docstring says exactly what it does and checks):

- :mod:`bench.torture.kills`: SIGKILL at random moments during bookmark and
  read-state writes; broken files, lost acknowledged changes, temporary files;
- :mod:`bench.torture.concurrency`: three processes adding bookmarks, and
  toggling the same read marks, at once;
- :mod:`bench.torture.corrupt`: every broken or unreachable store, through the
  app's store thread, ``digest-reader bookmarks`` and its ``--import``;
- :mod:`bench.torture.hostile`: the hostile digests through ``parse`` and the
  reader, headless;
- :mod:`bench.torture.orphan`: the reader whose terminal closes while SIGHUP is
  ignored.

Everything runs in a temporary directory, children with their own data
directory: the user's bookmarks are never read or written. Nothing reaches the
network.
"""

from bench.torture.suite import FULL, QUICK, Plan, run_suite

__all__ = ["FULL", "QUICK", "Plan", "run_suite"]
