from django.shortcuts import render
from django.views.decorators.http import require_safe

from pagecache import cache_public_page

from . import answers, sources, terms


# The page cache keys on ``q`` alone, and hands the view only ``q`` (with ``?q=a&q=b`` the
# last one, as QueryDict.get() gives): other parameters neither change the answer nor add
# cache entries.
@cache_public_page(params=["q"])
@require_safe
def results(request):
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
