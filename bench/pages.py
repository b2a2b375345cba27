"""Which pages the benchmark requests, as whom, on which objects.

The choices are the busy cases, not the easy ones: the nation with the most actions, the
commitment with the most actions for that nation, the most recent resolution's matrix (the
matrix's default) and a search word that matches many actions.
"""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from resolutions.models import Commitment, Member, NationalAction, Resolution, User

from .measure import Page
from .scale import USER_PREFIX

SEARCH_WORDS = "export controls"


class NothingToMeasure(RuntimeError):
    """The database holds no generated data: run `python -m bench seed` first."""


def benchmark_pages() -> list[Page]:
    editor, secretary = _users()
    member = editor.delegation.member
    commitment = _busiest_commitment(member)
    resolution = Resolution.objects.filter(document_type="resolution", number=493).first()
    resolution = resolution or Resolution.objects.order_by("-adoption_date").first()
    code = member.code
    pages = [
        Page(
            "trivial",
            "constant response through the full middleware stack",
            reverse("bench-constant"),
            editor,
        ),
        Page("layout", "the site's layout around an empty page", reverse("bench-layout"), editor),
        Page(
            "dashboard",
            f"delegation dashboard ({code}), as its editor",
            reverse("nation-dashboard", kwargs={"code": code}),
            editor,
        ),
        Page(
            "commitment",
            f"commitment page ({commitment.resolution.number} {commitment.label}, {code})",
            reverse("commitment-detail", kwargs={"code": code, "pk": commitment.pk}),
            editor,
        ),
        Page(
            "matrix",
            f"matrix for Resolution {resolution.number}, as a secretary",
            reverse("matrix") + f"?resolution={resolution.pk}",
            secretary,
        ),
        Page("review", "review queue, as a secretary", reverse("review-queue"), secretary),
    ]
    query = SEARCH_WORDS.replace(" ", "+")
    pages.append(
        Page(
            "search",
            f"search “{SEARCH_WORDS}”, as a secretary",
            f"{reverse('search')}?q={query}",
            secretary,
        )
    )
    pages.append(
        Page(
            "fragment",
            f"htmx fragment: matrix cell ({commitment.label}, {code})",
            reverse("matrix-cell", kwargs={"pk": commitment.pk, "code": code}),
            secretary,
            headers={"HX-Request": "true"},
        )
    )
    # One folded resolution of the dashboard, opened (htmx): the largest older one. Only where
    # the URL exists, so that the same benchmark also measures code from before the folding.
    try:
        fold_url = reverse("nation-dashboard-resolution", kwargs={"code": code, "pk": 0})
    except NoReverseMatch:
        fold_url = None
    older = (
        Resolution.objects.annotate(n=Count("commitments"))
        .exclude(pk=resolution.pk)
        .order_by("-n", "pk")
        .first()
    )
    if fold_url and older:
        pages.append(
            Page(
                "fold",
                f"htmx fragment: one folded resolution of the dashboard ({older.number}, {code})",
                reverse("nation-dashboard-resolution", kwargs={"code": code, "pk": older.pk}),
                editor,
                headers={"HX-Request": "true"},
            )
        )
    return pages


def _users() -> tuple[User, User]:
    busiest = (
        Member.objects.filter(delegation__staff__username__startswith=USER_PREFIX)
        .annotate(n=Count("actions", distinct=True))
        .order_by("-n", "country")
        .first()
    )
    if busiest is None:
        raise NothingToMeasure("No generated data here: run `python -m bench seed` first.")
    editor = (
        User.objects.filter(
            username__startswith=USER_PREFIX,
            role=User.Role.EDITOR,
            delegation__member=busiest,
        )
        .select_related("delegation__member")
        .order_by("username")
        .first()
    )
    secretary = (
        User.objects.filter(username__startswith=USER_PREFIX, role=User.Role.SECRETARY)
        .order_by("username")
        .first()
    )
    return editor, secretary


def _busiest_commitment(member: Member) -> Commitment:
    top = (
        NationalAction.objects.filter(member=member)
        .values("commitment")
        .annotate(n=Count("pk"))
        .order_by("-n", "commitment")
        .first()
    )
    return Commitment.objects.select_related("resolution").get(pk=top["commitment"])
