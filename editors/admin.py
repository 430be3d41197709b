"""User admin with a way for a superuser to give a colleague a new two-factor login."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import otp_device_enrol

User = get_user_model()


class EditorUserAdmin(UserAdmin):
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


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, EditorUserAdmin)
