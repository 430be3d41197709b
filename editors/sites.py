from django.conf import settings
from django.http import HttpResponseNotAllowed
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

        if request.method not in ("GET", "HEAD", "POST"):
            # Django's LoginView would treat PUT as POST; nothing here uses it.
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])

        cool_off = get_cool_off(request)
        context = {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
            **(extra_context or {}),
        }
        return super().login(request, extra_context=context)

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
