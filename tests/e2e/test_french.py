"""The delegation's and the secretariat's journeys in French, in a real browser: every page says
lang="fr", passes axe-core, and shows no English word of the interface.

"English word" means a word of an English message in the catalogue that no French translation
uses; words of the data (the resolution's English text, names people typed) and a short list of
words that are the same in both languages are allowed. Text marked with another lang attribute
(the language switch's "English") is not French and is skipped.
"""

import re

import pytest
from django.utils.translation import trans_real
from playwright.sync_api import expect

from resolutions import actions
from resolutions.models import Clause, Commitment, Member, NationalAction, Resolution, User

from ..conftest import make_action
from .conftest import _unused_code, screenshot, serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The same in both languages (or names): codes, formats, the Assembly's acronyms.
ALLOWED = {
    "otan", "nato", "pdf", "docx", "xlsx", "csv", "excel", "word", "sha", "utf", "iso", "esc",
    "cds", "dsc", "stc", "pc", "https", "http", "markdown", "txt", "md", "odt", "png", "jpeg",
}  # fmt: skip
WORD = re.compile(r"[A-Za-zÀ-ÿœŒ]{2,}")

# What a person reads: text, and the attributes screen readers speak; not what is in
# another language (lang="en" on "English" in the switch) or in scripts.
VISIBLE_TEXT = """() => {
  const copy = document.documentElement.cloneNode(true);
  copy.querySelectorAll('script, style, [lang]:not([lang^="fr"])').forEach(e => e.remove());
  const spoken = [...copy.querySelectorAll('[aria-label], [title], [placeholder], [alt]')]
    .map(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || '').join(' '));
  return copy.querySelector('title').textContent + ' ' + copy.querySelector('body').textContent
    + ' ' + spoken.join(' ');
}"""


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


@pytest.fixture(scope="module")
def english_words() -> set[str]:
    """Words of the catalogue's English messages that its French never uses."""
    catalogue = trans_real.translation("fr")._catalog
    english, french = set(), set()
    for msgid, msgstr in catalogue.items():
        english |= _words(re.sub(r"%\(\w+\)\w|\{[^}]*\}|<[^>]+>", " ", str(msgid)))
        french |= _words(msgstr)
    return english - french - ALLOWED


def data_words() -> set[str]:
    """Words of what people wrote or imported: the resolution's English text, titles, names."""
    texts = [
        *Resolution.objects.values_list("title", flat=True),
        *Clause.objects.values_list("text", flat=True),
        *Clause.objects.values_list("verb", flat=True),
        *Commitment.objects.values_list("text", flat=True),
        *NationalAction.objects.values_list("title", flat=True),
        *NationalAction.objects.values_list("description", flat=True),
        *NationalAction.objects.values_list("review_comment", flat=True),
        *User.objects.values_list("username", flat=True),
        *User.objects.values_list("email", flat=True),
        *(member.code for member in Member.objects.all()),  # ISO codes: GB, ME…
    ]
    return _words(" ".join(texts))


def assert_in_french(page, english_words):
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.wait_for_load_state()
    shown = _words(page.evaluate(VISIBLE_TEXT))
    leftovers = sorted(shown & english_words - data_words())
    assert leftovers == [], f"English on {page.url}: {leftovers}"
    assert serious_accessibility_violations(page) == []


def sign_in_in_french(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    switch = page.get_by_role("button", name="Français")
    if switch.count():  # the switch works signed out
        switch.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill("pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/verify/" in page.url:  # secretaries give their second factor
        page.get_by_label("Code", exact=True).fill(_unused_code(username))
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_load_state()


@pytest.fixture
def french_editor(editor_fr):
    editor_fr.language = "fr"
    editor_fr.save()
    return editor_fr


def test_the_delegation_works_in_french(
    page, live_server, french_editor, resolution_493, english_words
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Français").click()
    assert_in_french(page, english_words)
    sign_in_in_french(page, live_server, french_editor.username)

    expect(page.get_by_role("heading", level=1)).to_have_text("France")
    assert_in_french(page, english_words)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, "fr-dashboard")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="25.e", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement 25.e")
    page.locator("summary", has_text="Ajouter une action").click()
    form = page.locator("#new-action")
    form.get_by_label("Titre").fill("Loi relative au contrôle des exportations modifiée")
    form.get_by_label("Description").fill("Couvre les accélérateurs d'IA.")
    form.get_by_label("Type").select_option(label="Législation")
    form.get_by_label("Acteur").select_option(label="Parlement")
    form.get_by_label("Étape").select_option(label="En cours de réalisation")
    form.get_by_label("Date").fill("2025-03-14")
    form.get_by_role("button", name="Enregistrer comme brouillon").click()
    item = page.locator(".action-item", has_text="Loi relative au contrôle")
    expect(item).to_be_visible()
    assert_in_french(page, english_words)

    status = page.locator("#status")
    status.get_by_label("Statut", exact=True).select_option(label="Partiellement mis en œuvre")
    status.get_by_role("button", name="Enregistrer le statut").click()
    expect(status.get_by_role("status")).to_have_text("Statut enregistré.")
    assert_in_french(page, english_words)

    item.get_by_role(
        "link", name="Loi relative au contrôle des exportations modifiée", exact=True
    ).click()
    link = page.locator("form", has=page.get_by_role("heading", name="Ajouter un lien"))
    link.get_by_label("Lien").fill("https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049999999")
    link.get_by_label("Titre").fill("Texte publié au Journal officiel")
    link.get_by_role("button", name="Ajouter le lien").click()
    expect(page.locator(".evidence-list")).to_contain_text("Texte publié au Journal officiel")
    page.get_by_role("button", name="Soumettre pour examen").click()
    expect(page.get_by_role("status")).to_contain_text("Soumise au Secrétariat pour examen.")
    assert NationalAction.objects.get().review_state == "submitted"
    assert_in_french(page, english_words)

    page.get_by_role("link", name="Préférences").click()
    assert_in_french(page, english_words)


@pytest.fixture
def french_secretary(secretary):
    secretary.language = "fr"
    secretary.save()
    return secretary


def test_the_secretariat_works_in_french(
    page, live_server, french_secretary, editor_ca, resolution_493, english_words
):
    canada = Member.objects.get(country="CA")
    commitment = resolution_493.commitments.get(label="25.e")
    actions.set_status(commitment, canada, "in_progress", "", version=0, by=editor_ca)
    first = make_action(commitment, canada, editor_ca, title="Export Control Act amended")
    second = make_action(commitment, canada, editor_ca, title="Sanctions unit staffed")
    for action in (first, second):
        actions.submit_action(action, by=editor_ca)

    sign_in_in_french(page, live_server, french_secretary.username)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Matrice"
    ).click()
    expect(page.locator("th.matrix__nation")).to_have_count(32)
    expect(page.locator("th.matrix__nation").first).to_contain_text("AL")
    assert_in_french(page, english_words)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, "fr-matrix")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Statut", exact=True).select_option(label="En cours")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator("th.matrix__commitment")).to_have_count(1)
    page.get_by_label("25.e, Canada : En cours").click()
    expect(page.locator("#cell-panel")).to_contain_text("Export Control Act amended")
    assert_in_french(page, english_words)

    page.get_by_role("link", name="Examen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File d'examen")
    assert_in_french(page, english_words)
    page.locator(f"#review-{first.pk}").get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("status")).to_contain_text("acceptée")
    item = page.locator(f"#review-{second.pk}")
    item.get_by_label("Commentaire à l'intention de la délégation").fill(
        "Merci d'ajouter le budget de l'unité."
    )
    item.get_by_role("button", name="Renvoyer pour révision").click()
    expect(page.get_by_role("status")).to_contain_text("renvoyée")
    states = dict(NationalAction.objects.values_list("pk", "review_state"))
    assert states == {first.pk: "accepted", second.pk: "returned"}
    assert_in_french(page, english_words)

    for name in ("Campagnes", "Importer", "Résolutions"):
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name=name
        ).click()
        assert_in_french(page, english_words)
    page.goto(f"{live_server.url}{resolution_493.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Commission de l'économie et de la sécurité")
    assert_in_french(page, english_words)
