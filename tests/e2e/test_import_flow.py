"""A secretary imports a session booklet PDF in a real browser: the preview lists both texts,
both are chosen and imported; then the French text of Resolution 493, whose commitments then
read in French."""

import pytest
from playwright.sync_api import expect

from resolutions.models import Commitment, Resolution
from tests import pdf as pdfs

from .conftest import screenshot, serious_accessibility_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_secretary_imports_a_booklet_and_reads_a_commitment_in_french(
    page, live_server, secretary, editor_ca, tmp_path
):
    booklet = tmp_path / "policy-recommendations-2024.pdf"
    booklet.write_bytes(
        pdfs.make_pdf([pdfs.declaration_489(), pdfs.resolution_493()], booklet=True)
    )
    french = tmp_path / "resolution-493-fr.pdf"
    french.write_bytes(pdfs.make_pdf([pdfs.resolution_493_fr()], lang="fr"))

    sign_in(page, live_server, secretary.username)
    page.goto(f"{live_server.url}/resolutions/import/")
    page.get_by_label("File").set_input_files(str(booklet))
    page.get_by_role("button", name="Preview").click()

    preview = page.locator(".found-text")
    expect(preview).to_have_count(2)
    expect(preview.nth(0)).to_contain_text("Declaration 489")
    expect(preview.nth(0)).to_contain_text("Defence and Security Committee")
    expect(preview.nth(1)).to_contain_text("Resolution 493")
    expect(preview.nth(1)).to_contain_text("Economics and Security Committee")
    expect(page.locator(".found-text__state")).to_have_text(["new", "new"])
    assert serious_accessibility_violations(page) == []
    screenshot(page, "import-preview")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "import-preview")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert Resolution.objects.count() == 0

    # Both chosen (they are by default; a secretary unticks and ticks one again to be sure).
    page.get_by_label("Declaration 489").uncheck()
    page.get_by_label("Declaration 489").check()
    expect(page.get_by_label("Resolution 493")).to_be_checked()
    page.get_by_role("button", name="Import the chosen texts").click()
    expect(page.locator(".messages")).to_contain_text("Declaration 489 imported")
    assert sorted(Resolution.objects.values_list("number", flat=True)) == [489, 493]

    # The French text attaches to the same resolution.
    page.goto(f"{live_server.url}/resolutions/import/")
    page.get_by_label("File").set_input_files(str(french))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".found-text__state")).to_have_text(["updated"])
    expect(page.locator(".found-text__changes")).to_contain_text("French text added")
    page.get_by_role("button", name="Import the chosen texts").click()
    expect(page.locator("h1")).to_contain_text("Galvanising Technological Advance")
    assert Resolution.objects.count() == 2

    # An editor whose interface is in French reads the commitment in French.
    commitment = Commitment.objects.get(resolution__number=493, label="25.e")
    page.context.clear_cookies()
    sign_in(page, live_server, editor_ca.username)
    # The switch in the header: it saves the person's language (which wins over the browser's).
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/nations/CA/commitments/{commitment.pk}/")
    quote = page.locator(".commitment-quote")
    expect(quote).to_contain_text("INVITE INSTAMMENT")
    expect(quote).to_contain_text("à coordonner les contrôles à l'exportation")
    expect(quote.locator('[lang="fr"]').first).to_be_visible()
    screenshot(page, "commitment-in-french")
    # The English one click away.
    page.get_by_role("link", name="Lire ce texte en anglais").click()  # the page is in French
    expect(quote).to_contain_text("to coordinate export controls")
    page.goto(f"{live_server.url}/resolutions/resolution/493/")
    expect(page.locator("h1")).to_contain_text("Faire progresser la technologie")
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "resolution-in-french")
