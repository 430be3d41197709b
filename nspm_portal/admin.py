from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class NspmAdminSite(OTPAdminSite):
    site_header = _("NSPM – redaktion")
    site_title = _("NSPM redaktion")
    index_title = _("Startsida för redaktörer")
    site_url = "/"
