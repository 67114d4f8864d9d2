from tenancy.selectors import organisation_list


def navigation(request):
    """The organisations of the signed-in user for the switcher, and the current one."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}

    organisations = list(organisation_list(user=user))
    current_id = request.session.get("current_organisation_id")
    current = next((o for o in organisations if o.pk == current_id), None)
    return {"nav_organisations": organisations, "current_organisation": current}
