"""Pure data and logic of the reader: no Textual, no Rich, no subprocesses.

Everything here is tested without a running app (see docs/architecture.md).
"""
