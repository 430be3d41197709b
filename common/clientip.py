"""The client's real IP behind TRUSTED_PROXY_COUNT proxies, for rate limits and lockout."""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a placeholder address, never bound
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    # Each trusted proxy appends the address it saw; anything further left was
    # written by the client and cannot be trusted.
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) >= count:
        return hops[-count]
    return hops[0] if hops else remote
