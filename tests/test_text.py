"""first_words() writes what Django's Truncator writes for plain text, which it replaces in
the long lists."""

import pytest
from django.template.defaultfilters import truncatechars
from django.utils.text import Truncator

from resolutions.text import first_chars, first_words


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One",
        "Calls on  member states\nto invest",
        "a b c d e",
        "a b c d e f",
        "a b c d …",
        "a b c d … f g",
        "  spaced   out   words   here   and   more  ",
        "Urges the governments … of member states … to act",
    ],
)
@pytest.mark.parametrize("count", [1, 4, 5])
def test_first_words_are_truncators(text, count):
    assert first_words(text, count) == Truncator(text).words(count, truncate=" …")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "https://example.org/",
        "https://example.org/" + "a" * 40,
        "https://example.org/" + "a" * 41,
        "https://example.org/" + "a" * 80,
        "https://exemple.fr/décret-" + "é" * 30,
        "https://exemple.fr/cafe\u0301",
    ],
)
def test_first_chars_are_truncatechars(text):
    assert first_chars(text, 60) == truncatechars(text, 60)
