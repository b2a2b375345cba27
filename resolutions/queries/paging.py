"""Page numbers in query strings, shared by the lists that come in pages (the review queue,
search): what a person typed in `?page=` becomes a number, or a message saying which page is
shown instead. Nothing here raises: a bad page number never costs the person their filters."""

from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Subquery, Value
from django.utils.translation import gettext as _

LARGEST = 10**9  # beyond any page there could be: treated as past the end
SHOWN = 20  # characters of a bad value repeated back in the message


def asked_page(asked: str | None, errors: list[str]) -> int:
    """The page number in `asked` (1 when there is none). A value that is not a number, or is
    below 1, gives page 1 and a message in `errors`. Whether the page exists is for the caller
    to say, with past_the_end()."""
    if asked in (None, ""):
        return 1
    try:
        number = int(asked)
    except (TypeError, ValueError):
        errors.append(
            _("“%(value)s” is not a page number; showing the first page.")
            % {"value": str(asked)[:SHOWN]}
        )
        return 1
    if number < 1:
        errors.append(_("Pages are numbered from 1; showing the first page."))
        return 1
    return min(number, LARGEST)


def past_the_end(number: int, last: int) -> str:
    """The message for a page number past the last page."""
    return _("There is no page %(number)s; showing the last page, %(last)s.") % {
        "number": number,
        "last": last,
    }


def page_link(query: dict[str, str], number: int) -> str:
    """The same list's URL (relative) for page `number`, with the same filters."""
    return "?" + urlencode({**query, "page": number})


def first_and_total(queryset, limit: int, fields: tuple[str, ...] = ()) -> tuple[list, int]:
    """The first `limit` rows of `queryset` and how many there are in all, in one query: models,
    or with `fields` rows of those fields (named tuples). The count is an uncorrelated
    subquery, which PostgreSQL runs once and without the rows' joins, so the sort can stop at
    `limit` (a window count joined and sorted every row first)."""
    count = (
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    )
    counted = queryset.annotate(list_total=Subquery(count))
    if fields:
        counted = counted.values_list(*fields, "list_total", named=True)
    rows = list(counted[:limit])
    return rows, (rows[0].list_total if rows else 0)


def _compiled(parts: list, limit: int | None = None) -> list[tuple[str, list]]:
    """Each part's SQL and parameters, compiled by the ORM (every value stays a parameter); a
    part that can hold nothing (none(), an impossible filter) is left out."""
    compiled = []
    for part in parts:
        part = part if limit is None else part[:limit]
        try:
            sql, params = part.query.get_compiler(using=part.db).as_sql()
        except EmptyResultSet:
            continue
        compiled.append((sql, list(params)))
    return compiled


def _one_query(parts: list, sql: str, params: list) -> list[tuple]:
    with connections[parts[0].db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def first_of_parts(parts: list, wanted: int) -> list[tuple]:
    """The first `wanted` rows of each part, in one query. Each part is an ordered queryset of
    (id, sort key) rows; the caller merges them. United with its own ORDER BY and LIMIT, each
    part is read from its index and stops early: PostgreSQL sorts every row of a plain UNION
    ALL before its LIMIT."""
    compiled = _compiled(parts, wanted)
    if not compiled:
        return []
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part_sql}) AS part{n}"  # noqa: S608
        for n, (part_sql, _params) in enumerate(compiled)
    )
    return _one_query(parts, sql, [value for _sql, params in compiled for value in params])


def count_of_parts(parts: list) -> int:
    """How many rows the parts hold together (parts that never share a row), in one query: a
    sum of counts, which PostgreSQL answers from each part's index alone, where counting their
    UNION ALL passed every row through the union first (2.5 against 1.6 ms for 22,496 rows)."""
    compiled = _compiled([part.order_by() for part in parts])
    if not compiled:
        return 0
    counts = " + ".join(
        f"(SELECT COUNT(*) FROM ({part_sql}) AS part{n})"  # noqa: S608
        for n, (part_sql, _params) in enumerate(compiled)
    )
    sql = f"SELECT {counts}"  # noqa: S608 (the ORM's compiled queries, values as parameters)
    return _one_query(parts, sql, [value for _sql, params in compiled for value in params])[0][0]
