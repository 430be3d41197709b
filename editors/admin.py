"""The admin's administration part, for superusers: users and groups, two-factor devices and
login records, all in Swedish; and the action that gives a colleague a new two-factor login."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.formfields import ADMIN_FORMFIELD_OVERRIDES

from .models import (
    SWEDISH_PROXIES,
    AuthenticatorApp,
    BackupCodes,
    LoginAttempt,
    LoginFailure,
    LoginRecord,
)
from .services import otp_device_enrol

User = get_user_model()

# What a default permission allows, said the way the custom ones say it ("Kan exportera …").
PERMISSION_ACTIONS = {
    "add": _("Kan lägga till %(models)s"),
    "change": _("Kan ändra %(models)s"),
    "delete": _("Kan ta bort %(models)s"),
    "view": _("Kan se %(models)s"),
}


def permission_label(permission) -> str:
    """ "Sidor och dokument | Sidor | Kan ändra sidor", never Django's stored English name.

    Django stores "Can change sida" when it creates a permission; the label is built from
    the model's current (Swedish) names instead, and from its Swedish stand-in for models
    that name themselves in English only (editors.models).
    """
    model = permission.content_type.model_class()
    if model is None:  # a model that no longer exists
        return permission.name
    models = model_plural_name(model)
    action, _sep, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = PERMISSION_ACTIONS[action] % {"models": models}
    else:
        name = permission.name
    app = model._meta.app_config.verbose_name
    return f"{capfirst(app)} | {capfirst(models)} | {name}"


def model_plural_name(model) -> str:
    """The model's plural name in Swedish, also for django-otp's and the history models."""
    # django-simple-history's models say "historical sidor"; they know their model.
    original = getattr(model, "instance_type", None)
    if original is not None:
        return _("historik för %(models)s") % {"models": model_plural_name(original)}
    return str(SWEDISH_PROXIES.get(model, model)._meta.verbose_name_plural)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return permission_label(obj)


class SwedishPermissionsMixin:
    """User and group forms list permissions by their Swedish labels."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            queryset = kwargs.get("queryset", db_field.remote_field.model.objects)
            kwargs["queryset"] = queryset.select_related("content_type")
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


class EditorUserAdmin(SwedishPermissionsMixin, UserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_superuser",
        "has_two_factor",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    actions = ["otp_new_device"]
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_factor=Exists(confirmed))

    @admin.display(boolean=True, description=_("tvåstegsinloggning"), ordering="two_factor")
    def has_two_factor(self, obj) -> bool:
        return obj.two_factor

    def has_otp_reset_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(
        description=_("Ge ny tvåstegsinloggning (ersätter borttappad app och reservkoder)"),
        permissions=["otp_reset"],
    )
    def otp_new_device(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                _("Välj en användare i taget: QR-koden och reservkoderna visas bara en gång."),
                messages.ERROR,
            )
            return None
        user = queryset.get()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "target": user,
            # Only someone who has a device can lose it: a new colleague is not warned.
            "has_device": TOTPDevice.objects.filter(user=user).exists()
            or StaticDevice.objects.filter(user=user).exists(),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "title": _("Ny tvåstegsinloggning för %(user)s") % {"user": user.get_username()},
        }
        if request.POST.get("post") != "yes":
            return TemplateResponse(request, "admin/editors/otp_reset_confirm.html", context)

        enrolment = otp_device_enrol(user=user, replace=True)
        self.log_change(request, user, _("Gav ny tvåstegsinloggning; gamla enheter borttagna."))
        context.update(
            enrolment=enrolment,
            # qrcode builds this SVG from the otpauth address only; no user input is in it
            # unescaped (the username is percent-encoded in the address).
            qr_svg=mark_safe(enrolment.qr_svg()),  # noqa: S308
        )
        response = TemplateResponse(request, "admin/editors/otp_enrolment.html", context)
        # The secret and the backup codes must not stay in any cache.
        response["Cache-Control"] = "no-store"
        return response


class EditorGroupAdmin(SwedishPermissionsMixin, GroupAdmin):
    pass


class DeviceAdmin(admin.ModelAdmin):
    """A superuser sees who has which device and can switch one off or remove it.

    Devices are made by the action on users (or `manage.py otp_enrol`), which shows the
    secret once; the secret and the backup codes themselves are never shown here.
    """

    list_display = ["owner", "device_name", "is_confirmed", "created", "last_used"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering = ["user__username"]
    fields = ["owner", "name", "confirmed", "created", "last_used"]
    readonly_fields = ["owner", "created", "last_used"]
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["labels"] = {"name": _("namn"), "confirmed": _("bekräftad")}
        kwargs["help_texts"] = {
            "name": _("Bara för att skilja enheterna åt, t.ex. ”App för engångskoder”."),
            "confirmed": _("Avmarkera för att stänga av enheten utan att ta bort den."),
        }
        return super().get_form(request, obj, change, **kwargs)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("användare"), ordering="user__username")
    def owner(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.get_username()

    @admin.display(description=_("namn"), ordering="name")
    def device_name(self, obj) -> str:
        return obj.name

    @admin.display(description=_("bekräftad"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj) -> bool:
        return obj.confirmed

    @admin.display(description=_("skapad"), ordering="created_at")
    def created(self, obj):
        return obj.created_at or "–"

    @admin.display(description=_("senast använd"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at or "–"


class BackupCodesAdmin(DeviceAdmin):
    list_display = [*DeviceAdmin.list_display, "codes_left"]
    fields = [*DeviceAdmin.fields, "codes_left"]
    readonly_fields = [*DeviceAdmin.readonly_fields, "codes_left"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_codes=Count("token_set"))

    @admin.display(description=_("kvar"), ordering="n_codes")
    def codes_left(self, obj) -> str:
        return ngettext("%(n)d oanvänd kod", "%(n)d oanvända koder", obj.n_codes) % {
            "n": obj.n_codes
        }


class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes' own admin, with its clean-up message in Swedish."""

    actions = ["remove_expired_attempts"]
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES

    @admin.action(description=_("Ta bort försök som inte längre spärrar"))
    def remove_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(n)d gammalt inloggningsförsök togs bort.",
                "%(n)d gamla inloggningsförsök togs bort.",
                count,
            )
            % {"n": count},
        )


class LoginRecordAdmin(AccessLogAdmin):
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES


class LoginFailureAdmin(AccessFailureLogAdmin):
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES


replaced = (User, Group, TOTPDevice, StaticDevice, AccessAttempt, AccessLog, AccessFailureLog)
for model in replaced:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(User, EditorUserAdmin)
admin.site.register(Group, EditorGroupAdmin)
admin.site.register(AuthenticatorApp, DeviceAdmin)
admin.site.register(BackupCodes, BackupCodesAdmin)
admin.site.register(LoginAttempt, LoginAttemptAdmin)
admin.site.register(LoginRecord, LoginRecordAdmin)
admin.site.register(LoginFailure, LoginFailureAdmin)
