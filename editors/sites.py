from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseNotAllowed
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from editors.forms import EditorLoginForm


class NspmAdminSite(OTPAdminSite):
    """The staff admin at /redaktion/.

    OTPAdminSite lets in only users verified by a confirmed OTP device in this session:
    a staff user who has not given a one-time code is treated as not logged in.
    """

    site_header = _("NSPM – redaktion")
    site_title = _("NSPM redaktion")
    index_title = _("Startsida för redaktörer")
    site_url = "/"
    login_form = EditorLoginForm
    login_template = "admin/login.html"
    index_template = "admin/index.html"

    def __init__(self, name="admin"):
        # OTPAdminSite defaults to "otpadmin"; templates and reverse() expect "admin".
        super().__init__(name)

    def login(self, request, extra_context=None):
        from axes.helpers import get_cool_off

        from editors.lockout import lockout_response, network_lockout

        if request.method not in ("GET", "HEAD", "POST"):
            # Django's LoginView would treat PUT as POST; nothing here uses it.
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        posted = request.method == "POST"
        if posted and network_lockout(request) is not None:
            # Refused before the password is checked: a blocked network learns nothing.
            return lockout_response(request)

        cool_off = get_cool_off(request)
        context = {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
            "network_limit": settings.LOGIN_NETWORK_FAILURE_LIMIT,
            "network_window_minutes": int(settings.LOGIN_NETWORK_WINDOW.total_seconds() // 60),
            **(extra_context or {}),
        }
        response = super().login(request, extra_context=context)
        if posted and response.status_code == 200 and network_lockout(request) is not None:
            # This failure was the one that reached the network limit.
            return lockout_response(request)
        if posted and response.status_code == 302 and not is_local_path(request):
            # Django already refuses other hosts and schemes (and then goes to
            # LOGIN_REDIRECT_URL); a relative or garbled `next` would land on a 404.
            response["Location"] = reverse("admin:index", current_app=self.name)
        return response

    def get_urls(self):
        from django.urls import path

        return [
            path("andringar/", self.admin_view(self.change_log_view), name="change_log"),
            path(
                "andringar/<str:key>/<int:history_id>/",
                self.admin_view(self.change_detail_view),
                name="change_detail",
            ),
            path(
                "historik/<str:key>/<int:history_id>/aterstall/",
                self.admin_view(self.restore_row_view),
                name="restore_row",
            ),
            *super().get_urls(),
        ]

    def change_log_view(self, request):
        from editors import views

        return views.change_log(self, request)

    def change_detail_view(self, request, key, history_id):
        from editors import views

        return views.change_detail(self, request, key, history_id)

    def restore_row_view(self, request, key, history_id):
        from editors import views

        return views.restore_row(self, request, key, history_id)

    def index(self, request, extra_context=None):
        from editors.dashboard import editor_dashboard

        context = {"dashboard": editor_dashboard(request), **(extra_context or {})}
        return super().index(request, extra_context=context)


def is_local_path(request) -> bool:
    """Whether the login's `next` (read as Django's LoginView reads it) is a path on this
    site: "/…", not "//host" or "/\\host", nothing unprintable, and accepted by
    url_has_allowed_host_and_scheme."""
    value = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME)) or ""
    return (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and value.isprintable()
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
