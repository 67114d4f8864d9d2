from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimits
from core.editing import apply_errors, flash_errors
from tenancy import selectors, services
from tenancy.access import organisation_for
from tenancy.forms import InvitationForm, InvitationSignupForm, RoleForm
from tenancy.models import Invitation


@login_required
def invitation_create(request, pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(organisation=organisation, actor=request.user, email=data["email"],
                                       role=data["role"], teams=data["teams"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %s.") % data["email"])
            return redirect("members", organisation.pk)
    return render(request, "tenancy/members.html", {
        "organisation": organisation, "membership": membership, "invite_form": form,
        "memberships": selectors.membership_list(user=request.user, organisation=organisation),
        "invitations": selectors.invitation_list(organisation=organisation),
        "roles": RoleForm.base_fields["role"].choices,
    })


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    organisation, _membership = organisation_for(request.user, pk, manage=True)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("Invitation to %s withdrawn.") % invitation.email)
    return redirect("members", organisation.pk)


def _too_many_attempts(request):
    message = _("Too many invitation links tried from your network. Try again in an hour, or ask for a new link.")
    return render(request, "429.html", {"message": message}, status=429)


def invitation_accept(request, token):
    """Open to anyone holding the link: sign in or create an account, then join. A client that tries many unknown
    links (guessing tokens) or posts many times is stopped for a while (ABUSE_RATES["invitation"])."""
    if ratelimits.blocked(request, "invitation"):
        return _too_many_attempts(request)
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if (invitation is None or request.method == "POST") and ratelimits.attempt(request, "invitation"):
        return _too_many_attempts(request)
    if invitation is None:
        raise Http404
    signup_form = None
    if invitation.is_pending and not request.user.is_authenticated:
        signup_form = InvitationSignupForm(request.POST or None)
    if request.method == "POST" and invitation.is_pending:
        try:
            if request.user.is_authenticated:
                services.invitation_accept(invitation=invitation, user=request.user)
            elif signup_form.is_valid():
                data = signup_form.cleaned_data
                user = services.invitation_signup(invitation=invitation, username=data["username"],
                                                  password=data["password1"], first_name=data["first_name"],
                                                  last_name=data["last_name"])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                raise ValidationError([])
        except ValidationError as error:
            if signup_form is not None and error.messages:
                apply_errors(signup_form, error)
            else:
                flash_errors(request, error)
        else:
            messages.success(request, _("Welcome to %s.") % invitation.organisation)
            return redirect("organisation_detail", invitation.organisation_id)
    return render(request, "tenancy/invitation_accept.html", {"invitation": invitation, "form": signup_form})
