"""Django's PostgreSQL backend, with COMMIT and ROLLBACK bounded like every query.

Django sends them on the connection itself, not through a cursor, so the watchdog's
``execute_wrapper`` never sees them (``common/database.py``). When the network or a proxy
stalls right after a request's last query, the COMMIT would otherwise wait for ever.
Subclassing a built-in backend is Django's documented way to change one (ENGINE names
this package; settings set it for every PostgreSQL ``DATABASE_URL``).
"""

from django.db.backends.postgresql import base

from common.database import transaction_end_watched


class DatabaseWrapper(base.DatabaseWrapper):
    def commit(self):
        with transaction_end_watched(self):
            super().commit()

    def rollback(self):
        with transaction_end_watched(self):
            super().rollback()
