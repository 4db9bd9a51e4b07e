"""Where the reader touches the system: clipboard, browser, URL policy, key pause,
process tuning, the terminal (keys after a piped digest, and what happens when the
terminal goes away: :mod:`tui.system.terminal`), and the one adapter to Textual's
private API.
"""
