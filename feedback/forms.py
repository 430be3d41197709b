from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX_LENGTH


def _hint() -> str:
    return gettext(
        "Skriv inte namn, personnummer eller något annat som kan peka ut en person eller ett "
        "ärende. Högst %(max)d tecken."
    ) % {"max": COMMENT_MAX_LENGTH}


# The two buttons under every content page: name "svar", value "ja" or "nej".
ANSWERS = {"ja": True, "nej": False}


class CommentForm(forms.Form):
    # The limit is checked here, not with a maxlength attribute: a browser would cut a
    # pasted text silently, and the visitor would not know what was lost (GOV.UK pattern).
    kommentar = forms.CharField(
        label=_("Vad saknades eller var fel på sidan? (frivilligt)"),
        help_text=lazy(_hint, str)(),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 40}),
        validators=[
            MaxLengthValidator(
                COMMENT_MAX_LENGTH,
                message=_(
                    "Skriv högst %(limit_value)d tecken. Du har skrivit %(show_value)d tecken."
                ),
            )
        ],
    )
