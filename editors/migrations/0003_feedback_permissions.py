"""Both editor roles read the answers to "Hjälpte sidan dig?" and mark comments handled.

They may also delete an answer (a comment someone wrote a name into). Answers come only from
visitors, so nobody gets "add".
"""

from django.db import migrations

FEEDBACK = {("feedback", "pagefeedback"): ("change", "delete", "view")}
ROLES = ("Redaktör", "Nyhetsbrevsansvarig")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("feedback")
    # Migration-state app configs have no models module; create_permissions needs one.
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = original
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = []
    for (app_label, model_name), actions in FEEDBACK.items():
        content_type = ContentType.objects.get(app_label=app_label, model=model_name)
        permissions += Permission.objects.filter(
            content_type=content_type,
            codename__in=[f"{action}_{model_name}" for action in actions],
        )
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("editors", "0002_groups"),
        ("feedback", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
