"""Plain-text helpers for lists that shorten text by the hundred."""


def first_words(text: str, count: int, more: str = " …") -> str:
    """The first `count` words of `text`, spaces collapsed, and `more` after them when words
    were left out: what Truncator(text).words(count, truncate=more) writes for plain text,
    without its lazy object (the dashboard shortens a commitment per row, the matrix one per
    line)."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    shortened = " ".join(words[:count])
    return shortened if shortened.endswith(more) else f"{shortened}{more}"
