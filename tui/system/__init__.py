"""Where the reader touches the system: clipboard, browser, URL policy, key pause,
process tuning, and the one adapter to Textual's private API.
"""
