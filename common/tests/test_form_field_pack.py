"""The "nspm" crispy-forms pack renders the GOV.UK error pattern for any field; the error
summary include lists every error, linking to the field it belongs to."""

from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse


class _Form(forms.Form):
    name = forms.CharField(label="Namn", help_text="Som i passet.")
    choice = forms.ChoiceField(
        label="Välj", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="Jag godkänner")

    def clean(self):
        raise forms.ValidationError("Något gick fel <b>här</b>")


# How every public form renders its fields: one field at a time, through the pack.
FIELDS = "{{ form.name|as_crispy_field }}{{ form.choice|as_crispy_field }}{{ form.agree|as_crispy_field }}"
SUMMARY = '{% include "includes/error_summary.html" %}'


def _render(form, tag=FIELDS):
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
    assert html.count("form-group--error") == 3  # name, choice, agree
    assert "<fieldset" in html and "<legend" in html  # radios are grouped
    assert 'aria-describedby="id_choice_error"' in html
    assert '<label for="id_agree"' in html


def test_the_error_summary_links_each_error_to_its_field_and_escapes_form_errors():
    form = _Form(data={"name": "", "choice": "x"})
    assert not form.is_valid()
    summary = _render(form, SUMMARY)
    fields = _render(form)
    for field in form:
        # A radio group has no single control: the link goes to its first option.
        target = field.id_for_label or field.subwidgets[0].id_for_label
        assert target
        assert f'<a href="#{target}">' in summary
        assert f'id="{target}"' in fields  # the link lands on the control
    assert "Något gick fel &lt;b&gt;här&lt;/b&gt;" in summary


def test_a_valid_form_has_no_error_markup():
    form = _Form()
    html = _render(form) + _render(form, SUMMARY)
    assert "error" not in html.replace("form-group", "")
    assert "aria-invalid" not in html


def test_as_crispy_field_renders_one_field():
    html = _render(_Form(data={}), "{{ form.name|as_crispy_field }}")
    assert html.count("<label") == 1 and 'id="id_name_error"' in html


@pytest.mark.django_db
def test_every_template_of_the_pack_is_used_by_a_public_form(client):
    pack = Path(__file__).resolve().parent.parent / "templates" / "nspm"
    files = {f"nspm/{p.relative_to(pack)}" for p in pack.rglob("*.html")}
    used = set()
    for url in (
        reverse("newsletter:signup"),
        reverse("contacts:list") + "?q=" + "a" * 101,
        reverse("contacts:coordinators") + "?kommun=xyz",
    ):
        response = client.get(url)
        assert response.status_code == 200
        used |= {t.name for t in response.templates}
    assert files and files <= used, f"not used by any public form: {sorted(files - used)}"
