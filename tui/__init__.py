"""digest-reader's terminal app (Textual) and command line."""
