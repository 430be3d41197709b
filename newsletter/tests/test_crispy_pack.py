"""The "nspm" crispy-forms pack renders the GOV.UK error pattern for any form."""

from django import forms
from django.template import Context, Template


class _Form(forms.Form):
    name = forms.CharField(label="Namn", help_text="Som i passet.")
    choice = forms.ChoiceField(
        label="Välj", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="Jag godkänner")

    def clean(self):
        raise forms.ValidationError("Något gick fel <b>här</b>")


def _render(form, tag="{{ form|crispy }}"):
    return Template("{% load crispy_forms_tags %}" + tag).render(Context({"form": form}))


def test_fields_have_label_hint_and_error_with_aria():
    form = _Form(data={"name": "", "choice": "x"})
    assert not form.is_valid()
    html = _render(form)
    assert '<label for="id_name">Namn</label>' in html
    assert '<span class="hint" id="id_name_helptext">Som i passet.</span>' in html
    assert 'id="id_name_error"' in html and "error-message" in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert html.count("form-group--error") >= 3  # name, choice, agree (+ non-field)
    assert "<fieldset" in html and "<legend" in html  # radios are grouped
    assert 'aria-describedby="id_choice_error"' in html
    assert '<label for="id_agree"' in html
    assert "Något gick fel &lt;b&gt;här&lt;/b&gt;" in html


def test_a_valid_form_has_no_error_markup():
    form = _Form()
    html = _render(form)
    assert "error" not in html.replace("form-group", "")
    assert "aria-invalid" not in html


def test_as_crispy_field_renders_one_field():
    html = _render(_Form(data={}), "{{ form.name|as_crispy_field }}")
    assert html.count("<label") == 1 and 'id="id_name_error"' in html
