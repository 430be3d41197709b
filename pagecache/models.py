# No models. The module exists so that Django sends ``post_migrate`` for this app, once per
# ``migrate``: data migrations change content without model signals (see apps.py).
