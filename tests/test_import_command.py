"""`manage.py import_resolution`: what it prints, and bad input refused with nothing saved."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import Clause, Commitment, Resolution

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_resolution", *map(str, args), stdout=out)
    return out.getvalue()


def write(tmp_path, content, name="resolution.md") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_import_prints_what_it_found(tmp_path, text_493):
    output = run(write(tmp_path, text_493))
    assert "Resolution 493: Galvanising Technological Advance" in output
    assert "Economics and Security Committee, 70th Annual Session, Montréal, Canada" in output
    assert "24 preambular and 1 operative paragraphs, 12 commitments: 25.a, 25.b" in output
    assert "25.l" in output
    assert "Resolution created." in output
    assert Commitment.objects.count() == 12


def test_second_import_says_nothing_changed(tmp_path, text_493):
    path = write(tmp_path, text_493)
    run(path)
    assert "Already up to date: nothing changed." in run(path)
    assert Resolution.objects.count() == 1


def test_dry_run_saves_nothing(tmp_path, text_493):
    output = run(write(tmp_path, text_493), "--dry-run")
    assert "Dry run, nothing saved. Resolution would be created." in output
    assert Resolution.objects.count() == 0


def test_corrected_text_is_reported_as_an_update(tmp_path, text_493):
    run(write(tmp_path, text_493))
    corrected = text_493.replace("i. to strengthen", "i. to strengthen and fund")
    output = run(write(tmp_path, corrected, "corrected.md"))
    assert "Resolution updated: paragraph 25 updated; commitment 25.i updated" in output


def _without_paragraph_10(text):
    start = text.index("10. **Recognising**")
    return text[:start] + text[text.index("---", start) :]


BAD_INPUTS = {
    "empty": (lambda t: "", "empty"),
    "whitespace only": (lambda t: "  \n\n ", "empty"),
    "a PDF": (lambda t: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "a PNG image": (lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    "no resolution number": (
        lambda t: t.replace("### RESOLUTION 493\\*", "### A TEXT"),
        "no resolution number",
    ),
    "duplicate paragraph": (
        lambda t: t.replace("12. **Recognising** that the evolving", "11. **Recognising** that the evolving"),
        "line",
    ),
    "missing paragraph": (_without_paragraph_10, "paragraph 10 is missing"),
    "gap in sub-clause letters": (
        lambda t: t.replace("- c. to collaborate", "- d. to collaborate")
        .replace("- d. to enforce", "- e. to enforce")
        .replace("- e. to coordinate", "- f. to coordinate"),
        "sub-clause c is missing",
    ),
    "operative verb followed by nothing": (
        lambda t: t[: t.index("25. **URGES**")] + "25. **URGES**\n",
        "no text after the verb",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(case, tmp_path, text_493):
    make, expected = BAD_INPUTS[case]
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, make(text_493)))
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message  # one line
    assert Resolution.objects.count() == Clause.objects.count() == 0


@pytest.mark.parametrize(
    ("case", "line"),
    [("duplicate paragraph", 29), ("missing paragraph", None), ("gap in sub-clause letters", 48)],
)
def test_errors_name_the_line(case, line, tmp_path, text_493):
    make, _ = BAD_INPUTS[case]
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, make(text_493)))
    if line:
        assert f"line {line}:" in str(raised.value)
    else:
        assert "line " in str(raised.value)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, text_493, settings):
    big = text_493 + "\n" + ("x" * 80 + "\n") * 13_000  # just over 1 MB
    with pytest.raises(CommandError, match="larger than the limit of 1,000,000 bytes"):
        run(write(tmp_path, big))
    assert Resolution.objects.count() == 0


def test_a_bad_import_leaves_an_earlier_import_untouched(tmp_path, text_493):
    run(write(tmp_path, text_493))
    broken = text_493.replace("- c. to collaborate", "- d. to collaborate")
    with pytest.raises(CommandError):
        run(write(tmp_path, broken, "broken.md"))
    assert Commitment.objects.get(label="25.c").text.startswith("to collaborate more closely")


def test_the_command_exits_non_zero_with_one_line_on_stderr(tmp_path):
    path = write(tmp_path, "")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_resolution", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "VAR_DIR": str(tmp_path / "var")},
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("CommandError:")
    assert len(result.stderr.strip().splitlines()) == 1
