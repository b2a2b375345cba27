"""English and French: each person's language, the switch (signed out too), the same URLs in
both, e-mails in the recipient's language, and what French readers expect to see (nation names,
dates, committees, sessions)."""

import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from resolutions.languages import in_language_of, language_of
from resolutions.models import Committee, Session, User
from resolutions.tasks import send_digest
from tracker.celery import app as celery_app

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def eager():
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def sign_in(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": "pw"})


# --- Signed out: the browser's language, and the switch -------------------------------------


@pytest.mark.django_db
def test_the_sign_in_page_follows_the_browser(client):
    french = client.get("/accounts/login/", headers={"accept-language": "fr-CA,fr;q=0.9"})
    assert '<html lang="fr">' in french.text
    assert "<h1>Se connecter</h1>" in french.text
    assert 'lang="en" class="link-button">English</button>' in french.text  # the way back
    english = client.get("/accounts/login/", headers={"accept-language": "de,en;q=0.5"})
    assert '<html lang="en">' in english.text and "<h1>Sign in</h1>" in english.text
    assert 'lang="fr" class="link-button">Français</button>' in english.text


@pytest.mark.django_db
def test_the_switch_works_signed_out_and_keeps_the_address(client):
    response = client.post("/language/", {"language": "fr", "next": "/accounts/login/?next=/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/"  # same URL, no /fr/
    assert response.cookies[COOKIE].value == "fr"
    page = client.get("/accounts/login/?next=/", headers={"accept-language": "en"})
    assert "<h1>Se connecter</h1>" in page.text


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing_and_says_which_exist(client, editor_ca):
    sign_in(client, editor_ca)
    response = client.post("/language/", {"language": "de", "next": "/preferences/"}, follow=True)
    assert "Choose one of: English, French." in response.text
    assert COOKIE not in response.cookies or response.cookies[COOKIE].value != "de"
    editor_ca.refresh_from_db()
    assert editor_ca.language == ""  # the browser asked for nothing; not "de" either


@pytest.mark.django_db
def test_the_switch_never_sends_people_to_another_site(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert client.get("/language/").status_code == 405


# --- Signed in: the person's language wins ---------------------------------------------------


@pytest.mark.django_db
def test_first_sign_in_keeps_the_browsers_language(client, editor_fr):
    assert editor_fr.language == ""
    client.post(
        "/accounts/login/",
        {"username": editor_fr.username, "password": "pw"},
        headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"},
    )
    editor_fr.refresh_from_db()
    assert editor_fr.language == "fr"


@pytest.mark.django_db
def test_a_saved_language_wins_over_the_browser_and_follows_after_sign_out(client, editor_fr):
    editor_fr.language = "fr"
    editor_fr.save()
    sign_in(client, editor_fr)
    page = client.get("/nations/FR/", headers={"accept-language": "en-GB,en"})
    assert '<html lang="fr">' in page.text
    assert "<h1>France</h1>" in page.text and "Mon pays" in page.text
    assert page.cookies[COOKIE].value == "fr"  # so the sign-in page after sign-out is French
    client.post("/accounts/logout/")
    assert "<h1>Se connecter</h1>" in client.get("/accounts/login/").text


@pytest.mark.django_db
def test_choosing_a_language_under_preferences_saves_it(client, editor_ca):
    sign_in(client, editor_ca)
    page = client.get("/preferences/")
    assert 'name="language" value="en" checked' in page.text
    response = client.post("/language/", {"language": "fr", "next": "/preferences/"}, follow=True)
    assert "Votre langue est désormais le français." in response.text
    assert "<h1>Préférences</h1>" in response.text
    editor_ca.refresh_from_db()
    assert editor_ca.language == "fr"
    # The person's choice holds even when the cookie says otherwise (another browser).
    client.cookies[COOKIE] = "en"
    assert "<h1>Préférences</h1>" in client.get("/preferences/").text


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


@pytest.mark.django_db
def test_french_and_english_pages_make_the_same_queries(client, editor_fr, resolution_493):
    sign_in(client, editor_fr)
    for url in ("/resolutions/", "/nations/FR/", "/matrix/"):
        client.get(url)  # warm the caches the first visit fills
        english = _queries(client, url)
        User.objects.filter(pk=editor_fr.pk).update(language="fr")
        client.get(url)
        french = _queries(client, url)
        User.objects.filter(pk=editor_fr.pk).update(language="en")
        assert french == english, url


# --- What French readers expect to see -------------------------------------------------------


@pytest.mark.django_db
def test_nation_names_dates_committees_and_sessions_in_french(client, editor_fr, resolution_493):
    editor_fr.language = "fr"
    editor_fr.save()
    sign_in(client, editor_fr)
    matrix = client.get(f"/matrix/?resolution={resolution_493.pk}").text
    assert "Royaume-Uni" in matrix and "Allemagne" in matrix and "Germany" not in matrix
    detail = client.get("/resolutions/resolution/493/").text
    assert "Commission de l&#x27;économie et de la sécurité" in detail
    assert "70e session annuelle" in detail
    assert "25 novembre 2024" in detail
    with translation.override("fr"):
        assert str(Session(number=1, kind="spring")) == "1re session de printemps"
        assert str(Committee.objects.get(code="PC")) == "Commission politique"
    with translation.override("en"):
        assert str(resolution_493.session) == "70th Annual Session"
        assert str(Committee.objects.get(code="PC")) == "Political Committee"


@pytest.mark.django_db
def test_plurals_follow_french_rules(client, editor_fr, resolution_493):
    """French counts 0 and 1 as singular."""
    with translation.override("fr"):
        assert (
            translation.ngettext("%(counter)s commitment", "%(counter)s commitments", 0)
            % {"counter": 0}
            == "0 engagement"
        )
        assert (
            translation.ngettext("%(counter)s commitment", "%(counter)s commitments", 2)
            % {"counter": 2}
            == "2 engagements"
        )


@pytest.mark.django_db
def test_demo_editor_of_france_works_in_french(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.get(username="editor-fr").language == "fr"
    assert User.objects.get(username="editor-ca").language == ""  # their browser decides
    User.objects.filter(username="editor-fr").update(language="en")
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.get(username="editor-fr").language == "en"  # a choice made is kept


# --- E-mails in the recipient's language -----------------------------------------------------


@pytest.mark.django_db
def test_digests_go_out_in_each_recipients_language(eager, resolution_493, editor_ca, editor_fr):
    editor_fr.language = "fr"
    editor_fr.save()
    with translation.override("en"):  # whatever the worker runs in
        send_digest.apply(args=(editor_fr.pk, "2026-W48"))
        send_digest.apply(args=(editor_ca.pk, "2026-W48"))
        assert translation.get_language() == "en"  # the override ends with the task
    french, english = mail.outbox
    assert french.to == ["julien-fr@example.org"]
    assert french.subject == "12 éléments requièrent votre attention · Suivi des engagements"
    assert french.body.startswith("Bonjour julien-fr,")
    assert "récapitulatif hebdomadaire" in french.body
    assert "Modifier la fréquence" in french.body
    assert "Change how often" not in french.body
    html = french.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert "novembre" in html or "décembre" in html
    assert english.subject == "12 items need your attention · Commitment Tracker"
    assert '<html lang="en">' in english.alternatives[0][0]


@pytest.mark.django_db
def test_a_preview_is_in_the_persons_language(client, editor_fr, resolution_493):
    editor_fr.language = "fr"
    editor_fr.save()
    sign_in(client, editor_fr)
    response = client.post("/preferences/preview/", follow=True)
    assert "Un aperçu de 12 éléments a été envoyé à julien-fr@example.org." in response.text
    (message,) = mail.outbox
    assert message.subject.startswith("[Aperçu] 12 éléments requièrent votre attention")


def test_language_of_falls_back_to_the_sites_default():
    assert language_of(User(language="fr")) == "fr"
    assert language_of(User(language="")) == settings.LANGUAGE_CODE
    assert language_of(User(language="de")) == settings.LANGUAGE_CODE
    with in_language_of(User(language="fr")):
        assert translation.gettext("Commitment Tracker") == "Suivi des engagements"


# --- Reports in French (the export form's language choice is the reports layer's) -----------


@pytest.fixture
def french_world(resolution_493, editor_ca, editor_fr, secretary, admin_user):
    from .reports_helpers import build_world

    secretary.language = "fr"
    secretary.save()
    return build_world(
        resolution_493,
        editor_ca=editor_ca, editor_fr=editor_fr, secretary=secretary, admin_user=admin_user,
    )  # fmt: skip


def _export(client, world, fmt) -> bytes:
    query = {"scope": "resolution", "id": world.resolution.pk, "format": fmt}
    response = client.get("/reports/export/", query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_french_secretary_exports_reports_in_french(client, french_world, secretary):
    import csv
    import io

    import docx
    import openpyxl
    import pypdf

    client.force_login(secretary)
    rows = list(csv.reader(io.StringIO(_export(client, french_world, "csv").decode("utf-8-sig"))))
    header = rows[0]
    assert {"Résolution", "Engagement", "Code pays", "Pays"} <= set(header)
    nation = header.index("Pays")
    assert {"Canada", "Allemagne"} <= {row[nation] for row in rows[1:]}  # names in French

    book = openpyxl.load_workbook(io.BytesIO(_export(client, french_world, "xlsx")))
    assert book.sheetnames == ["Synthèse", "Matrice", "Actions", "Éléments de preuve"]

    document = docx.Document(io.BytesIO(_export(client, french_world, "docx")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Rapport d'étape" in text and "ASSEMBLÉE PARLEMENTAIRE DE L'OTAN" in text
    assert "Status report" not in text

    pdf = pypdf.PdfReader(io.BytesIO(_export(client, french_world, "pdf")))
    first_page = pdf.pages[0].extract_text()
    assert "Rapport d" in first_page and "Status report" not in first_page


@pytest.mark.django_db
def test_a_report_made_in_the_background_is_in_the_requesters_language(french_world, secretary):
    import io

    import openpyxl
    from django.core.files.storage import default_storage

    from resolutions.models import ExportJob
    from resolutions.reports.tasks import make_report

    scope = {"scope": "resolution", "id": str(french_world.resolution.pk)}
    job = ExportJob.objects.create(requested_by=secretary, format="xlsx", scope=scope)
    with translation.override("en"):  # the worker's own language
        make_report(str(job.pk))
        assert translation.get_language() == "en"
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    with default_storage.open(job.file.name) as stored:
        book = openpyxl.load_workbook(io.BytesIO(stored.read()))
    assert book.sheetnames == ["Synthèse", "Matrice", "Actions", "Éléments de preuve"]
