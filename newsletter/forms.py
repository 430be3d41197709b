from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import MAX_LENGTH, MAX_LOCAL_OCTETS, InvalidAddress, Problem, normalise
from .typos import suggest_correction

MESSAGES = {
    Problem.FORMAT: _("Ange en e-postadress i rätt format, till exempel namn@exempel.se"),
    Problem.TOO_LONG: _("E-postadressen får vara högst %(max_length)s tecken lång"),
    Problem.LOCAL_TOO_LONG: _("Delen före @ får vara högst %(max_local)s tecken lång"),
    Problem.NON_ASCII_LOCAL: _(
        "Adressen kan inte innehålla å, ä, ö eller andra tecken utöver a–z, siffror och "
        ". _ - + före @, eftersom många e-postservrar inte kan ta emot sådana adresser. "
        "Kontrollera adressen eller använd en annan."
    ),
}


class SignupForm(forms.Form):
    """The address only (data minimisation), plus a honeypot that people never see."""

    email = forms.CharField(
        label=_("E-postadress"),
        help_text=_("Till exempel namn@kommun.se. Adressen används bara för nyhetsbrevet."),
        strip=True,
        error_messages={
            "required": _("Ange din e-postadress"),
            "null_characters_not_allowed": MESSAGES[Problem.FORMAT],
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    # Bots fill every field; the template hides this one from people and screen readers.
    website = forms.CharField(label=_("Lämna det här fältet tomt"), required=False)
    # Sent by the buttons under "Menade du …?": the visitor has seen the question and chosen.
    spelling_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "anna@gmail.com" when "anna@gmial.con" was typed and not yet confirmed as meant.
        self.suggestion: str | None = None

    def clean_email(self) -> str:
        try:
            address = normalise(self.cleaned_data["email"])
        except InvalidAddress as exc:
            raise forms.ValidationError(
                MESSAGES[exc.problem],
                code=exc.problem,
                params={"max_length": MAX_LENGTH, "max_local": MAX_LOCAL_OCTETS},
            ) from None
        if not self.data.get("spelling_checked"):
            self.suggestion = suggest_correction(address)
        return address

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())
