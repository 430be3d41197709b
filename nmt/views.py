from django.shortcuts import render
from django.views.decorators.http import require_safe

from pagecache import cache_public_page
from pages.models import Page
from pages.publication import page_for_visitors, untranslated_response

from .models import Member, NmtContact


@cache_public_page
@require_safe
def index(request):
    page = page_for_visitors(request, Page.NMT)
    if page.untranslated:
        return untranslated_response(request, page)
    return render(
        request,
        "nmt/index.html",
        {
            "page": page,
            "members": list(Member.objects.published().with_contacts()),
            "nmt_contacts": [c.contact for c in NmtContact.objects.for_page()],
        },
    )
