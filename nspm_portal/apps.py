from django.contrib.admin.apps import AdminConfig


class NspmAdminConfig(AdminConfig):
    """The staff admin at /redaktion/, in Swedish, behind two-factor login."""

    default_site = "nspm_portal.admin.NspmAdminSite"
