def inbox(request):
    """Give every page the signed-in reader's number of unread notifications (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": user.notifications.filter(read_at__isnull=True).count()}
