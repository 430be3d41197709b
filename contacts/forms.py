from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 100


class ContactFilterForm(forms.Form):
    """The GET filter on /kontakt/: free text (name, title, region) and a region list."""

    q = forms.CharField(
        label=_("Namn, titel eller region"),
        required=False,
        # A validator, not max_length: max_length would add maxlength= to the input, and the
        # browser would cut pasted text silently instead of showing the error.
        validators=[MaxLengthValidator(MAX_TEXT)],
        error_messages={
            "max_length": _("Sökordet kan vara högst %(limit_value)d tecken."),
        },
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Välj en region i listan.")},
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Alla regioner"))] + [
            (r.slug, str(r)) for r in regions
        ]


class MunicipalityLookupForm(forms.Form):
    kommun = forms.CharField(
        label=_("Kommun, ort eller postnummer"),
        help_text=_(
            "Till exempel Malå, Visby, 621 41 eller kommunkoden 2418. Du kan också skriva ett "
            "län, som Jämtland, eller en region."
        ),
        required=False,
        widget=forms.TextInput(
            attrs={"list": "kommuner", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
