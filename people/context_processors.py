from people.selectors import partnerships_for_user


def partnership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_partnership": getattr(request, "partnership", None)}
    return {
        "current_partnership": getattr(request, "partnership", None),
        "current_roles": getattr(request, "roles", frozenset()),
        # Lazy: only pages that show the switcher run the query.
        "my_partnerships": partnerships_for_user(user),
    }
