"""System checks for settings `common` reads."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, register


@register()
def trusted_proxies_are_addresses(app_configs, **kwargs):
    """TRUSTED_PROXY_IPS (from FORWARDED_ALLOW_IPS) must be addresses, networks or "*":
    a typo would otherwise silently trust nobody, and every client would share the
    proxy's address for lockout and rate limits."""
    errors = []
    for entry in getattr(settings, "TRUSTED_PROXY_IPS", ()):
        if entry.strip() == "*":
            continue
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXY_IPS holds {entry!r}, which is not an IP address or network.",
                    hint="Set FORWARDED_ALLOW_IPS to comma-separated addresses or networks, "
                    "or * (see README, Production).",
                    id="common.E001",
                )
            )
    return errors
