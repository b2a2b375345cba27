"""A viewer searches from the header box in a real browser, wide and narrow: results, evidence
that matched, filters, pages; nothing overflows and axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from resolutions import actions
from resolutions.models import Member

from ..conftest import make_action
from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def searchable(resolution_493, editor_ca, editor_fr):
    """27 submitted Canadian actions about export controls, one with a press release, and a
    French one: enough for two pages."""
    canada, france = Member.objects.get(country="CA"), Member.objects.get(country="FR")
    commitment = resolution_493.commitments.get(label="25.e")
    first = make_action(
        commitment, canada, editor_ca, title="Export Control Act amended", stage="completed"
    )
    actions.add_evidence_link(
        first,
        "https://laws.example.ca/export-control-act",
        {"title": "Press release: export controls on AI chips"},
        by=editor_ca,
    )
    made = [first]
    for n in range(26):
        made.append(
            make_action(
                commitment,
                canada,
                editor_ca,
                title=f"Export licence review {n + 1}",
                description="Licensing of dual-use exports under the export control regime.",
                stage="under_way",
            )
        )
    made.append(
        make_action(
            commitment, france, editor_fr, title="Contrôle des exportations", stage="planned"
        )
    )
    for action in made:
        actions.submit_action(action, by=action.author)


@pytest.mark.parametrize("width", [1280, 375])
def test_viewer_searches_from_the_header_and_pages_through(
    page, live_server, viewer, searchable, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, viewer.username)
    header_search = page.get_by_role("search", name="Site search")
    header_search.get_by_label("Search actions and evidence").fill("export control")
    header_search.get_by_label("Search actions and evidence").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search actions and evidence")
    expect(page.locator(".lead")).to_contain_text("27 actions match “export control”")
    expect(page.locator(".search-result")).to_have_count(25)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert serious_accessibility_violations(page) == []
    screenshot(page, "search")

    page.get_by_role("link", name="Next page").click()
    expect(page.locator(".search-result")).to_have_count(2)
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    # The oldest comes last, with the evidence that matched.
    expect(page.get_by_text("Matching evidence: Press release: export controls")).to_be_visible()
    screenshot(page, "search-page-2")

    # The filters apply to the same words; the box keeps them.
    page.get_by_label("Stage").select_option(label="Completed")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.get_by_label("Words to look for")).to_have_value("export control")
    expect(page.get_by_role("link", name="Export Control Act amended")).to_be_visible()


def test_an_empty_search_prompts_and_punctuation_is_explained(page, live_server, viewer):
    sign_in(page, live_server, viewer.username)
    page.goto(f"{live_server.url}/search/")
    expect(page.get_by_text("Type one or more words above")).to_be_visible()
    expect(page.get_by_label("Words to look for")).to_be_focused()
    page.get_by_label("Words to look for").fill("'\"&|!:*()")
    page.get_by_label("Words to look for").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("punctuation alone finds nothing")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "search-empty")
