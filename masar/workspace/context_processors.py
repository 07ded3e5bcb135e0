"""Give every page the navigation entries its reader may use, as the policy says."""

from masar.core.policy import Reader
from masar.core.policy import navigation as navigation_of


def navigation(request):
    """Expose `nav`: which entries of the navigation this reader may use."""
    reader = getattr(request, "reader", None) or Reader.of(getattr(request, "user", None))
    return {"nav": navigation_of(reader)}
