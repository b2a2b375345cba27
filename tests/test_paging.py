"""Page numbers typed into query strings (resolutions/queries/paging.py), as the review queue
and search read them: the right value, and every wrong one with its message."""

import pytest

from resolutions.queries import paging


@pytest.mark.parametrize(
    "asked, number, message",
    [
        (None, 1, None),
        ("", 1, None),
        ("1", 1, None),
        ("7", 7, None),
        (" 7 ", 7, None),  # int() allows the spaces a copied link may carry
        ("abc", 1, "“abc” is not a page number; showing the first page."),
        ("2.5", 1, "“2.5” is not a page number; showing the first page."),
        ("0", 1, "Pages are numbered from 1; showing the first page."),
        ("-3", 1, "Pages are numbered from 1; showing the first page."),
        ("9" * 30, paging.LARGEST, None),  # past any page: the caller shows the last one
        ("9" * 5000, 1, "“99999999999999999999” is not a page number; showing the first page."),
    ],
)
def test_asked_page(asked, number, message):
    errors = []
    assert paging.asked_page(asked, errors) == number
    assert errors == ([message] if message else [])


def test_a_long_bad_value_is_cut_in_the_message():
    errors = []
    paging.asked_page("x" * 500, errors)
    assert errors == [f"“{'x' * paging.SHOWN}” is not a page number; showing the first page."]


def test_past_the_end_names_both_pages():
    assert paging.past_the_end(12, 3) == "There is no page 12; showing the last page, 3."


def test_page_link_keeps_the_filters_and_replaces_the_page():
    assert paging.page_link({"q": "export controls", "nation": "7"}, 2) == (
        "?q=export+controls&nation=7&page=2"
    )
    assert paging.page_link({}, 1) == "?page=1"
