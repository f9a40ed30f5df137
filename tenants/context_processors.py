from .models import Notice


def _unread_notices(request) -> int:
    # Cached on the request: nested renders (django-tables2) run context processors again.
    if not hasattr(request, "_unread_notices"):
        access = getattr(request, "access", None)
        request._unread_notices = (
            Notice.objects.filter(recipient=access.membership).unread().count()
            if access is not None and access.membership is not None
            else 0
        )
    return request._unread_notices


def tenant_access(request) -> dict:
    """The active tenant, the user's other choices and their unread notices, for the header."""
    return {
        "access": getattr(request, "access", None),
        "access_choices": getattr(request, "access_choices", []),
        "unread_notices": _unread_notices(request),
    }
