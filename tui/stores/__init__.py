"""What the reader keeps on disk: bookmarks, read state, their locations and locking.

No Textual or Rich; every operation runs off the UI thread (see persistence.py).
From the bottom up: ``files`` (one file, safely), ``locking`` (one change at a
time across processes), ``jsonstore`` (a versioned JSON document of entries),
``bookmarks`` and ``readstate`` (the two stores), ``locations`` (where they
live) and ``persistence`` (the store thread the reader talks to).
``docs/stores.md`` describes the files and the rules.
"""
