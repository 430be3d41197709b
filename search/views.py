from django.shortcuts import render
from django.views.decorators.http import require_safe

from nspm_portal.cache import cache_public_page

from . import answers, sources, terms


@cache_public_page
@require_safe
def results(request):
    # Only ``q`` is read; with ``?q=a&q=b`` the last one counts (Django's QueryDict.get).
    # The words are never logged or stored: they reach the database only as query parameters.
    query = terms.parse(request.GET.get("q"))
    hits = sources.find(query)
    return render(
        request,
        "search/results.html",
        {
            "terms": query,
            "asked": "q" in request.GET,
            "hits": hits,
            "answers": answers.answers(query) if query else answers.Answers(),
            "max_length": terms.MAX_LENGTH,
        },
    )
