"""No string left behind: the French catalogue covers every message the code and templates use,
nothing in it is fuzzy, and no user-facing text is written outside the translation tags.

`make check-translations` runs this file. When it fails on the catalogue, update it with the
command in the README ("Translations"), translate what `msgattrib --untranslated` lists
following docs/glossary.md, and run it again.
"""

import ast
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# The same options as the README's command, so the check sees what a translator sees.
MAKEMESSAGES = [
    "makemessages", "--locale", "fr", "--add-location", "file", "--no-wrap",
    "--ignore", "var/*", "--ignore", "tests/*",
]  # fmt: skip
# What makemessages reads: the code and the templates (static/ has no messages).
SOURCES = ["manage.py", "pyproject.toml", "tracker", "resolutions", "templates", "locale", "bench"]

needs_gettext = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="gettext is not installed (make system-packages)"
)


def _msgids(po_text: str) -> list[str]:
    """The msgids of a catalogue as msgattrib prints them (the header's empty one left out)."""
    ids = [_msgid_of(block.splitlines()) for block in po_text.split("\n\n")]
    return [msgid for msgid in ids if msgid]


def _msgid_of(lines: list[str]) -> str:
    parts, inside = [], False
    for line in lines:
        if line.startswith("msgid "):
            inside = True
            parts.append(line[len('msgid "') : -1])
        elif inside and line.startswith('"'):
            parts.append(line[1:-1])
        elif inside:
            break
    return "".join(parts)


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """The committed catalogue after makemessages has merged the messages the code uses now,
    made in a copy of the project so the working tree is not touched."""
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        elif source.exists():
            shutil.copy2(source, copy / name)
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(copy / "var"), "HOME": str(copy)},
    )
    assert result.returncode == 0, result.stderr
    return copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _msgattrib(option: str, po: Path) -> list[str]:
    result = subprocess.run(
        [shutil.which("msgattrib"), option, "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return _msgids(result.stdout)


@needs_gettext
def test_every_message_the_code_uses_is_translated(fresh_catalogue):
    untranslated = _msgattrib("--untranslated", fresh_catalogue)
    assert untranslated == [], (
        f"{len(untranslated)} message(s) have no French translation; update the catalogue "
        "(README, 'Translations') and translate them following docs/glossary.md:\n"
        + "\n".join(untranslated)
    )


@needs_gettext
def test_no_translation_is_fuzzy(fresh_catalogue):
    # makemessages marks a message fuzzy when its English changed and it guessed the French
    # from a neighbour: a person must read it again.
    fuzzy = _msgattrib("--only-fuzzy", fresh_catalogue)
    assert fuzzy == [], "Fuzzy (guessed) translations to check:\n" + "\n".join(fuzzy)


@needs_gettext
def test_the_committed_catalogue_has_nothing_obsolete_and_compiles():
    obsolete = _msgattrib("--only-obsolete", CATALOGUE)
    assert obsolete == [], "Messages the code no longer uses:\n" + "\n".join(obsolete)
    # --check: the placeholders of each translation match the English ones; plural forms.
    result = subprocess.run(
        [shutil.which("msgfmt"), "--check", "--output-file", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_msgid_reader_reads_msgattrib_output():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py\nmsgid "One"\nmsgstr ""\n\n'
        '#, python-format\nmsgid ""\n"Two %(n)s"\nmsgid_plural "Twos"\nmsgstr[0] ""\n'
    )
    assert _msgids(sample) == ["One", "Two %(n)s"]


# --- Templates: text outside the translation tags -------------------------------------------

TEMPLATES = ROOT / "templates"
# Attributes a person reads or hears.
SPOKEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}
# Text that is the same in both languages: symbols, format names, codes.
ALLOWED_TEXT = {
    "PDF", "DOCX", "XLSX", "CSV", "SHA", "HTML", "NATO", "OTAN", "ISO", "Excel", "Word",
    "UTF-8", "https", "http",
}  # fmt: skip
TAG = "\x01"  # where a template tag or variable stood (spaced, so HTML tags still parse)


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value and _has_words(value):
                self.found.append(f'{name}="{value.replace(TAG, "{…}")}"')

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _has_words(data):
            self.found.append(" ".join(data.replace(TAG, "{…}").split()))


def _has_words(text: str) -> bool:
    words = re.findall(r"[A-Za-zÀ-ÿ]{2,}", text.replace(TAG, " "))
    return any(word not in ALLOWED_TEXT for word in words)


def untranslated_text(source: str) -> list[str]:
    """The text of a template a person would read that is not inside {% translate %} or
    {% blocktranslate %}: the template's tags and variables become placeholders, translated
    regions disappear, and what remains is read as HTML (text nodes and spoken attributes)."""
    skeleton, skipping = [], None
    for token in Lexer(source).tokenize():
        if skipping:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skipping:
                skipping = None
            continue
        if token.token_type == TokenType.TEXT:
            skeleton.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name, *arguments = token.contents.split()
            if name == "block" and arguments[:1] == ["page_class"]:
                skipping = "endblock"  # a class name, not text
            elif name in {"blocktranslate", "blocktrans"}:
                skipping = "end" + name
            elif name == "comment":
                skipping = "endcomment"
        # An element named by a variable (<{{ tag }} …>) is still an element.
        if skeleton and skeleton[-1].endswith("<") and token.token_type == TokenType.VAR:
            skeleton.append("x-element")
            continue
        skeleton.append(f" {TAG} ")
    finder = _TextFinder()
    finder.feed("".join(skeleton))
    finder.close()
    return finder.found


def test_the_template_check_finds_bare_text_and_spoken_attributes():
    source = (
        "{% load i18n %}<h1>{% translate 'Fine' %}</h1><p>Not wrapped</p>"
        '<a aria-label="Bare label" href="{% url \'x\' %}">{{ name }}</a>'
        "{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}"
        "<script>var fine = 'code';</script>{% comment %}Notes{% endcomment %} · PDF"
    )
    assert untranslated_text(source) == ["Not wrapped", 'aria-label="Bare label"']


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(TEMPLATES))
        for pattern in ("*.html", "*.txt")
        for path in TEMPLATES.rglob(pattern)
    ),
)
def test_templates_wrap_every_text_for_translation(template):
    found = untranslated_text((TEMPLATES / template).read_text(encoding="utf-8"))
    assert found == [], f"Wrap these in {{% translate %}} or {{% blocktranslate %}}: {found}"


# --- Python: strings handed to people without gettext ---------------------------------------

# Calls whose string arguments a person reads (messages, form and model labels, errors).
# Log lines and the operators' commands (CommandError) are for the people who run the tracker
# and may stay in English.
SHOWN_BY_CALL = {
    "ValidationError", "ScopeError", "ScopeRefused",
    "HttpResponseBadRequest", "HttpResponseForbidden",
}  # fmt: skip
MESSAGES = {"success", "error", "info", "warning", "debug", "add_message"}  # messages.<this>
SHOWN_BY_KEYWORD = {
    "verbose_name", "verbose_name_plural", "label", "help_text", "empty_label",
    "violation_error_message", "help",
}  # fmt: skip
PYTHON_ROOTS = [ROOT / "resolutions", ROOT / "tracker"]
SKIPPED_PYTHON = {"migrations"}


def _is_words(node) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}|^[A-Z][a-z]+$", node.value))
    )


def _name_of(func) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _shows_its_arguments(func) -> bool:
    if isinstance(func, ast.Attribute) and func.attr in MESSAGES:
        return _name_of(func.value) == "messages"
    return _name_of(func) in SHOWN_BY_CALL


def unwrapped_strings(source: str) -> list[str]:
    """Literal strings given straight to something a person reads, and choice labels of
    TextChoices/IntegerChoices that are not passed through gettext."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            if _shows_its_arguments(node.func):
                found += [arg.value for arg in node.args if _is_words(arg)]
            found += [
                kw.value.value
                for kw in node.keywords
                if kw.arg in SHOWN_BY_KEYWORD and _is_words(kw.value)
            ]
        if isinstance(node, ast.ClassDef) and any(
            _name_of(base) in {"TextChoices", "IntegerChoices"} for base in node.bases
        ):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    label = statement.value.elts[-1]
                    if _is_words(label):
                        found.append(label.value)
    return found


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}


def gettext_in_fstrings(source: str) -> list[str]:
    """gettext called inside an f-string: makemessages (xgettext) does not look there, so the
    message silently never reaches the catalogue."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _name_of(inner.func) in GETTEXT_NAMES:
                    found += [arg.value for arg in inner.args if isinstance(arg, ast.Constant)]
    return found


def test_the_fstring_check_finds_gettext_inside():
    source = "x = f'{_(\"Hidden\")} {name}'\ny = _('Seen') + f'{name}'\n"
    assert gettext_in_fstrings(source) == ["Hidden"]


def test_the_python_check_finds_bare_labels_and_messages():
    source = (
        "class Stage(models.TextChoices):\n"
        "    PLANNED = 'planned', 'Planned'\n"
        "    DONE = 'done', _('Done')\n"
        "messages.success(request, 'Saved it all')\n"
        "messages.success(request, _('Fine'))\n"
        "logger.info('Digest sweep done')\n"
        "models.CharField(verbose_name='some field', max_length=3)\n"
        "forms.CharField(label=_('Fine'))\n"
    )
    assert sorted(unwrapped_strings(source)) == ["Planned", "Saved it all", "some field"]


@pytest.mark.parametrize(
    "module",
    sorted(
        str(path.relative_to(ROOT))
        for root in PYTHON_ROOTS
        for path in root.rglob("*.py")
        if not SKIPPED_PYTHON & set(path.parts)
    ),
)
def test_python_wraps_what_people_read(module):
    source = (ROOT / module).read_text(encoding="utf-8")
    found = unwrapped_strings(source)
    assert found == [], f"Wrap these in gettext (_): {found}"
    hidden = gettext_in_fstrings(source)
    assert hidden == [], f"Move these out of f-strings, where makemessages cannot see: {hidden}"
