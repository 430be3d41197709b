from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def _saved_or_deleted(sender, **kwargs) -> None:
    from . import registry, version

    if kwargs.get("raw"):
        return  # loaddata; post_migrate covers fixtures loaded at deploy
    if registry.is_registered(sender):
        version.content_changed(kwargs.get("using"))


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    from . import registry, version

    if not action.startswith("post_"):
        return
    if registry.is_registered(type(instance)) or registry.is_registered(kwargs.get("model")):
        version.content_changed(kwargs.get("using"))


def _migrated(sender, **kwargs) -> None:
    from . import version

    version.bump()


class PageCacheConfig(AppConfig):
    """Whole public pages in the cache, shared by every app server (see the README).

    Imports no other app of the project: apps register their content models and the moments
    their content changes by itself (``pagecache.register_models``,
    ``pagecache.register_next_change``) in their own ``ready()``.
    """

    name = "pagecache"
    verbose_name = "Sidcache"

    def ready(self):
        # In every process (web, cron commands), so every change bumps the version.
        post_save.connect(_saved_or_deleted, dispatch_uid="pagecache-save")
        post_delete.connect(_saved_or_deleted, dispatch_uid="pagecache-delete")
        m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")
        post_migrate.connect(_migrated, sender=self, dispatch_uid="pagecache-migrate")

        from .staff import forget_staff_session, remember_staff_session

        user_logged_in.connect(remember_staff_session, dispatch_uid="pagecache-staff-in")
        user_logged_out.connect(forget_staff_session, dispatch_uid="pagecache-staff-out")
