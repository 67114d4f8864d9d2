from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import flash_errors
from tenancy import selectors, services
from tenancy.access import organisation_for
from tenancy.forms import InvitationForm, RoleForm


@login_required
def members(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    context = {
        "organisation": organisation,
        "membership": membership,
        "memberships": selectors.membership_list(user=request.user, organisation=organisation),
        "roles": RoleForm.base_fields["role"].choices,
    }
    if membership.is_manager:
        context["invitations"] = selectors.invitation_list(organisation=organisation)
        context["invite_form"] = InvitationForm(organisation=organisation)
    return render(request, "tenancy/members.html", context)


def _member(request, pk, member_pk):
    organisation, _membership = organisation_for(request.user, pk)
    return get_object_or_404(selectors.membership_list(user=request.user, organisation=organisation), pk=member_pk)


@login_required
@require_POST
def member_role(request, pk, member_pk):
    target = _member(request, pk, member_pk)
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.membership_change_role(membership=target, actor=request.user, role=form.cleaned_data["role"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose one of the roles.")
    if request.headers.get("HX-Request"):
        target.refresh_from_db()
        return render(request, "tenancy/partials/member_row.html", {
            "m": target, "organisation": target.organisation, "roles": RoleForm.base_fields["role"].choices,
            "membership": organisation_for(request.user, pk)[1], "row_error": error,
        })
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(user)s is now %(role)s.") % {"user": target.user,
                                                                    "role": target.get_role_display()})
    return redirect("members", pk)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    target = _member(request, pk, member_pk)
    try:
        services.membership_remove(membership=target, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("members", pk)
    if target.user_id == request.user.pk:
        messages.success(request, _("You left %s.") % target.organisation)
        request.session.pop("current_organisation_id", None)
        return redirect("home")
    messages.success(request, _("%s was removed from the organisation.") % target.user)
    return redirect("members", pk)
