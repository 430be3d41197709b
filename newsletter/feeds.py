"""The newsletter archive as an Atom feed: every issue whose sending has started."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.markup import render_markdown

from .models import Issue

FEED_ITEMS = 20


class ArchiveFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("NSPM:s nyhetsbrev")
    subtitle = gettext_lazy(
        "Nyhetsbrev från Nationella samordningen mot prostitution och människohandel (NSPM)."
    )
    author_name = gettext_lazy("NSPM, Jämställdhetsmyndigheten")
    language = "sv"

    def link(self):
        return reverse("newsletter:archive")

    def feed_url(self):
        return reverse("newsletter:feed")

    def items(self):
        return Issue.objects.published().order_by("-number")[:FEED_ITEMS]

    def item_title(self, issue: Issue) -> str:
        return _("Nr %(number)s: %(subject)s") % {"number": issue.number, "subject": issue.subject}

    def item_description(self, issue: Issue) -> str:
        # Cleaned HTML (nh3), the same as the web version; the feed escapes it as type="html".
        return render_markdown(issue.body)

    def item_link(self, issue: Issue) -> str:
        return issue.get_absolute_url()

    def item_guid(self, issue: Issue) -> str:
        # Stable whatever the host the feed was fetched from: the public address.
        return settings.SITE_URL + issue.get_absolute_url()

    item_guid_is_permalink = False

    def item_pubdate(self, issue: Issue):
        return issue.started_at

    def item_updateddate(self, issue: Issue):
        return max(issue.started_at, issue.updated_at)
