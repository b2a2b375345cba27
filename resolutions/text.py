"""Plain-text helpers for lists that shorten text by the hundred."""

from django.template.defaultfilters import truncatechars


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


def first_chars(text: str, count: int) -> str:
    """Django's truncatechars filter, with a shortcut for the usual case of a short ASCII text
    (a link's address), which it returns unchanged: its character-by-character walk cost more
    than the rest of a review item's evidence."""
    if len(text) <= count and text.isascii():
        return text
    return truncatechars(text, count)
