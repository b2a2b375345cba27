"""Search across national actions and their evidence (what it reads: queries/search.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..queries import search


@require_GET
def search_page(request):
    results = search.read_search(request.GET, request.user)
    return render(request, "resolutions/search.html", {"results": results})
