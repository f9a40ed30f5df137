def tenant_access(request) -> dict:
    """The active tenant and the user's other choices, for the header and navigation."""
    return {
        "access": getattr(request, "access", None),
        "access_choices": getattr(request, "access_choices", []),
    }
