"""The French text of a resolution beside the English: attached to the same clauses and
commitments, never a second resolution; refused when its structure differs; first when the
English has not come yet; and English -> French -> English changes nothing."""

import pytest
from django.forms.models import model_to_dict

from resolutions.importing import ImportRefused, import_resolution
from resolutions.models import Clause, Commitment, NationalAction, Resolution
from resolutions.parsing import parse_resolution
from tests import pdf as pdfs
from tests.conftest import ACTION_VALUES

pytestmark = pytest.mark.django_db

FRENCH_25_E = (
    "à coordonner les contrôles à l'exportation des technologies émergentes à double usage"
)


@pytest.fixture
def text_493_fr() -> str:
    return pdfs.FIXTURE_493_FR.read_text(encoding="utf-8")


def load(text):
    return import_resolution(parse_resolution(text), text)


def snapshot():
    """Every row of the resolution, its clauses and commitments, and their history."""
    return (
        [model_to_dict(r) for r in Resolution.objects.order_by("pk")],
        [model_to_dict(c) for c in Clause.objects.order_by("pk")],
        [model_to_dict(c, exclude=["themes"]) for c in Commitment.objects.order_by("pk")],
        Clause.history.count(),
        Commitment.history.count(),
    )


def test_the_french_text_attaches_to_the_same_clauses_and_commitments(text_493, text_493_fr):
    load(text_493)
    ids = sorted(Commitment.objects.values_list("pk", flat=True))
    report = load(text_493_fr)
    assert report.changes == ["French text added"]
    assert Resolution.objects.count() == 1
    assert sorted(Commitment.objects.values_list("pk", flat=True)) == ids
    resolution = Resolution.objects.get()
    assert resolution.language == "en" and resolution.languages == ("en", "fr")
    assert resolution.title.startswith("Galvanising")
    assert resolution.title_for("fr") == (
        "Faire progresser la technologie au service de la prospérité et de la sécurité alliées",
        "fr",
        False,
    )
    commitment = Commitment.objects.get(label="25.e")
    assert commitment.text.startswith("to coordinate export controls")
    text, language, fell_back = commitment.text_for("fr")
    assert text.startswith(FRENCH_25_E) and language == "fr" and not fell_back
    assert commitment.text_for("en") == (commitment.text, "en", False)
    clause = commitment.clause
    assert clause.verb_for("fr").text == "INVITE INSTAMMENT"
    assert clause.addressees_for("fr").text == (
        "les gouvernements et parlements de l'Alliance atlantique"
    )
    preamble = Clause.objects.get(number=1)
    assert preamble.body_for("fr").text.startswith(" qu'il est essentiel")


def test_english_french_english_again_changes_nothing(text_493, text_493_fr):
    load(text_493)
    load(text_493_fr)
    before = snapshot()
    again = load(text_493)
    assert again.unchanged
    assert load(text_493_fr).unchanged
    assert snapshot() == before


def test_a_national_action_stays_on_its_commitment_through_the_french_import(
    text_493, text_493_fr, editor_ca, canada
):
    load(text_493)
    commitment = Commitment.objects.get(label="25.e")
    action = NationalAction.objects.create(
        commitment=commitment, member=canada, author=editor_ca, **ACTION_VALUES
    )
    load(text_493_fr)
    action.refresh_from_db()
    assert action.commitment_id == commitment.pk


def test_a_french_text_first_becomes_the_resolution_english_to_follow(text_493, text_493_fr):
    report = load(text_493_fr)
    assert report.created
    resolution = Resolution.objects.get()
    assert resolution.language == "fr" and resolution.languages == ("fr",)
    assert resolution.committee.code == "ESC"  # named in French in the footnote
    assert resolution.session.number == 70
    commitment = Commitment.objects.get(label="25.e")
    assert commitment.text_for("fr") == (commitment.text_fr, "fr", False)
    # Asked in English, the French is what there is: said so.
    text, language, fell_back = commitment.text_for("en")
    assert text.startswith(FRENCH_25_E) and language == "fr" and fell_back

    report = load(text_493)
    assert report.changes == ["English text added"]
    resolution.refresh_from_db()
    assert resolution.language == "en" and resolution.languages == ("en", "fr")
    assert resolution.title.startswith("Galvanising")
    commitment.refresh_from_db()
    assert commitment.text_for("en") == (commitment.text, "en", False)
    assert commitment.text.startswith("to coordinate export controls")
    assert commitment.text_for("fr").text.startswith(FRENCH_25_E)
    before = snapshot()
    assert load(text_493_fr).unchanged and load(text_493).unchanged
    assert snapshot() == before


def test_english_asked_french_missing_falls_back_to_english(text_493):
    load(text_493)
    commitment = Commitment.objects.get(label="25.e")
    assert commitment.text_for("fr") == (commitment.text, "en", True)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t[: t.index("- l. à allouer")],
            "Resolution 493, line 40: sub-clause 25.l of the English text is missing from the "
            "French text; nothing was saved",
        ),
        (
            lambda t: t + "\n- m. à rendre compte de leurs progrès.\n",
            "Resolution 493, line 55: sub-clause 25.m of the French text is not in the English "
            "text; nothing was saved",
        ),
        (
            lambda t: t.replace("24. **Convaincue**", "24. **DEMANDE**"),
            "Resolution 493, line 38: paragraph 24 is preambular in the English text but "
            "operative in the French text; nothing was saved",
        ),
        (
            lambda t: t[: t.index("25. **INVITE")],
            "Resolution 493, line 38: The French text has 24 paragraphs, the English text 25; "
            "nothing was saved",
        ),
    ],
    ids=["a letter missing", "a letter more", "a paragraph of another kind", "a paragraph less"],
)
def test_a_french_text_whose_structure_differs_is_refused(change, expected, text_493, text_493_fr):
    load(text_493)
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        load(change(text_493_fr))
    assert str(refused.value) == expected
    assert snapshot() == before


def test_english_whose_structure_differs_from_a_french_first_text_is_refused(text_493, text_493_fr):
    load(text_493_fr)
    before = snapshot()
    with pytest.raises(ImportRefused, match="sub-clause 25.l of the French text is missing"):
        load(text_493[: text_493.index("- l. to allocate")])
    assert snapshot() == before
