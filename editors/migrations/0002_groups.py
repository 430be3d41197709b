"""The two editor roles, with the permissions they need, on a fresh database and on an old one.

Permissions are normally created after all migrations have run (post_migrate), so on a
fresh database they do not exist yet here: they are created first. Models are picked by
(app_label, model); one that does not exist (renamed, not built yet) is skipped, and the
role tests in editors/tests/test_roles.py fail for it instead of this migration crashing.
Running it again changes nothing: groups are fetched or created, permissions only added.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Redaktör"
NEWSLETTER_MANAGER = "Nyhetsbrevsansvarig"

ALL = ("add", "change", "delete", "view")

# What editors write and correct: every public text, the helpline's hours, contacts,
# regions, NMT and the newsletter issues. Inline models are listed too: an inline is
# editable only with permissions on its own model.
CONTENT = {
    ("pages", "page"): ALL,
    ("pages", "document"): ALL,
    ("helpline", "helpline"): ALL,
    ("helpline", "weeklyhours"): ALL,
    ("helpline", "hoursexception"): ALL,
    ("helpline", "alternative"): ALL,
    ("contacts", "contact"): ALL,
    ("contacts", "phone"): ALL,
    ("contacts", "region"): ALL,
    ("contacts", "county"): ALL,
    ("contacts", "municipality"): ALL,
    ("nmt", "member"): ALL,
    ("nmt", "nmtcontact"): ALL,
    ("newsletter", "issue"): ALL,
}

# Subscriber data: addresses, and what can reveal them (the outbox holds addresses, a
# failed delivery's error is the mail server's answer, which often quotes the address).
# None = every permission of the model, including custom ones (export, import, erase).
SUBSCRIBER_DATA = {
    ("newsletter", "subscriber"): None,
    ("newsletter", "delivery"): ("change", "view"),
    ("newsletter", "outboxmessage"): ("view",),
    ("newsletter", "suppression"): ("view",),
}

ROLES = {
    EDITOR: CONTENT,
    NEWSLETTER_MANAGER: {**CONTENT, **SUBSCRIBER_DATA},
}


def ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module; migration state
        # app configs never have one, so mark them for the call.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def permissions_for(apps, table):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    selected = []
    for (app_label, model_name), actions in table.items():
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        content_type = ContentType.objects.get(app_label=app_label, model=model_name)
        permissions = Permission.objects.filter(content_type=content_type)
        if actions is not None:
            permissions = permissions.filter(
                codename__in=[f"{action}_{model_name}" for action in actions]
            )
        selected.extend(permissions)
    return selected


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for name, table in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions_for(apps, table))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editors", "0001_history_baseline"),
        ("contacts", "0003_seed_contacts"),
        ("helpline", "0002_seed_helpline"),
        ("newsletter", "0001_initial"),
        ("nmt", "0002_seed_members"),
        ("pages", "0002_seed_initial_content"),
    ]
    # Removing the groups on the way back would also drop whom they were given to.
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
