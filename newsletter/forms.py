from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import InvalidAddress, normalise

MAX_LENGTH = 254


class SignupForm(forms.Form):
    """The address only (data minimisation), plus a honeypot that people never see."""

    email = forms.CharField(
        label=_("E-postadress"),
        help_text=_("Till exempel namn@kommun.se. Adressen används bara för nyhetsbrevet."),
        strip=True,
        error_messages={"required": _("Ange din e-postadress")},
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    # Bots fill every field; the template hides this one from people and screen readers.
    website = forms.CharField(label=_("Lämna det här fältet tomt"), required=False)

    def clean_email(self) -> str:
        value = self.cleaned_data["email"]
        if len(value) > MAX_LENGTH:
            raise forms.ValidationError(
                _("E-postadressen får vara högst %(max)s tecken lång"),
                params={"max": MAX_LENGTH},
            )
        try:
            return normalise(value)
        except InvalidAddress:
            raise forms.ValidationError(
                _("Ange en e-postadress i rätt format, till exempel namn@exempel.se")
            ) from None

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())
