"""Every date and time an admin form asks for is read by the Swedish fields (common.formfields).

Walks every registered model admin and its inlines, so a model added later is covered.
"""

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from common.formfields import SwedishDateField, SwedishSplitDateTimeField, SwedishTimeField
from editors.testing import make_staff

pytestmark = pytest.mark.django_db

SWEDISH = (SwedishDateField, SwedishTimeField, SwedishSplitDateTimeField)
TEMPORAL = (forms.DateField, forms.TimeField, forms.DateTimeField, forms.SplitDateTimeField)


def test_every_admin_date_and_time_field_reads_swedish_forms():
    user, _ = make_staff("chef", superuser=True)
    request = RequestFactory().get("/redaktion/")
    request.user = user
    wrong = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        obj = model._default_manager.first()
        form_classes = [(model_admin, model_admin.get_form(request, obj))]
        for inline in model_admin.get_inline_instances(request, obj):
            form_classes.append((inline, inline.get_formset(request, obj).form))
        for owner, form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if isinstance(field, TEMPORAL) and not isinstance(field, SWEDISH):
                    wrong.append(f"{type(owner).__name__}.{name}: {type(field).__name__}")
    assert not wrong, wrong
