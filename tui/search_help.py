"""The search query language, for the help screen (README has the same table)."""

QUERY_HELP: tuple[tuple[str, str], ...] = (
    ("words", "every word must match, forgiving typos, order, case and punctuation"),
    ('"quoted phrase"', "exact phrase (any case) in the title or abstract"),
    ('-word  -"phrase"', "leave out papers that contain it"),
    ("title: author: abstract:", "match a word (or \"phrase\") in one field only"),
    ("has:code  has:project", "only papers with a code link / a project page"),
    ("is:bookmarked  is:unread", "only bookmarked / unread papers"),
)
