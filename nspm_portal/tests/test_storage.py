"""Uploaded documents: local files by default; with STORAGE_BACKEND=s3 an S3-compatible
bucket every app server sees (django-storages), configured only through the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({
    "class": f"{type(storage).__module__}.{type(storage).__name__}",
    "bucket": getattr(storage, "bucket_name", None),
    "endpoint": getattr(storage, "endpoint_url", None),
    "region": getattr(storage, "region_name", None),
    "addressing": getattr(storage, "addressing_style", None),
    "acl": getattr(storage, "default_acl", None),
    "signed": getattr(storage, "querystring_auth", None),
    "access_key": getattr(storage, "access_key", None),
    "location": str(getattr(storage, "location", "")),
}))
"""


def _storage(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "STORAGE_"))}
    clean.update(DJANGO_SETTINGS_MODULE="nspm_portal.settings.dev", PYTHONPATH=str(ROOT), **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_uploaded_files_are_local_by_default(tmp_path):
    storage = _storage(MEDIA_ROOT=str(tmp_path))
    assert storage["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert storage["location"] == str(tmp_path)


def test_storage_backend_s3_uses_a_private_bucket_from_the_environment():
    storage = _storage(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="nspm-dokument",
        AWS_S3_ENDPOINT_URL="https://s3.example.se",
        AWS_S3_REGION_NAME="eu-north-1",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
    )
    assert storage["class"] == "storages.backends.s3.S3Storage"
    assert storage["bucket"] == "nspm-dokument"
    assert storage["endpoint"] == "https://s3.example.se"
    assert storage["region"] == "eu-north-1"
    assert storage["addressing"] == "path"
    assert storage["acl"] == "private"
    assert storage["signed"] is True
    assert storage["access_key"] == "AKIAEXAMPLE"  # read by django-storages from the env


def test_s3_without_a_bucket_name_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "STORAGE_"))},
            "DJANGO_SETTINGS_MODULE": "nspm_portal.settings.dev",
            "PYTHONPATH": str(ROOT),
            "STORAGE_BACKEND": "s3",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr
