from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from pagecache import cache_public_page
from pages.models import Page

from .models import Member, NmtContact


@cache_public_page
@require_safe
def index(request):
    page = get_object_or_404(Page, slug=Page.NMT)
    return render(
        request,
        "nmt/index.html",
        {
            "page": page,
            "members": list(Member.objects.published().with_contacts()),
            "nmt_contacts": [c.contact for c in NmtContact.objects.for_page()],
        },
    )
