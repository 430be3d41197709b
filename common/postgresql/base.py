"""Django's PostgreSQL backend, with connecting, COMMIT and ROLLBACK watched like every query.

Django sends them on the connection itself, not through a cursor, so the watchdog's
``execute_wrapper`` never sees them (``common/database.py``). When the network or a proxy
stalls right after a request's last query, the COMMIT would otherwise wait for ever.
Subclassing a built-in backend is Django's documented way to change one (ENGINE names
this package; settings set it for every PostgreSQL ``DATABASE_URL``).
"""

from django.db.backends.postgresql import base

from common.database import wait_watched


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        with wait_watched(self):
            return super().get_new_connection(conn_params)

    def commit(self):
        with wait_watched(self):
            super().commit()

    def rollback(self):
        with wait_watched(self):
            super().rollback()
