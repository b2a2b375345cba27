"""URLs the pages draw by the hundred: reversed once, then filled in per row."""

from django.urls import reverse


def url_maker(name: str):
    """A function (code, pk) -> URL that reverses `name` once: reversing per cell cost more
    than the rest of the matrix."""
    code_mark, pk_mark = "__CODE__", "987654321"
    pattern = reverse(name, kwargs={"code": code_mark, "pk": int(pk_mark)})
    head, rest = pattern.split(code_mark, 1)
    if pk_mark in head:  # the pk comes first in the path
        first, middle = head.split(pk_mark, 1)
        return lambda code, pk: f"{first}{pk}{middle}{code}{rest}"
    middle, tail = rest.split(pk_mark, 1)
    return lambda code, pk: f"{head}{code}{middle}{pk}{tail}"


def pk_url_maker(name: str):
    """A function pk -> URL for a URL named `name` whose only argument is `pk`, reversed once:
    lists name an action's page and its review form per row."""
    mark = "987654321"
    head, tail = reverse(name, kwargs={"pk": int(mark)}).split(mark, 1)
    return lambda pk: f"{head}{pk}{tail}"


def commitment_url(member, commitment) -> str:
    """A nation's page for one commitment."""
    return reverse("commitment-detail", kwargs={"code": member.code, "pk": commitment.pk})
