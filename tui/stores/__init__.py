"""What the reader keeps on disk: bookmarks, read state, their locations and locking.

No Textual; every operation runs off the UI thread (see persistence.py).
"""
