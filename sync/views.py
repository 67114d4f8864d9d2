"""The organisation's API tokens page: create one (its key is shown once), see them, revoke them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sync import tokens
from sync.forms import ApiTokenForm
from tenancy.access import organisation_for


@login_required
def api_tokens(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    form = ApiTokenForm(request.POST or None)
    created, key = None, None
    if request.method == "POST" and form.is_valid():
        created, key = tokens.api_token_create(
            organisation=organisation, user=request.user, name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"], expires_at=form.expires_at(),
        )
        form = ApiTokenForm()
    response = render(request, "sync/tokens/api_tokens.html", {
        "organisation": organisation, "membership": membership, "form": form, "created": created, "key": key,
        "tokens": tokens.api_token_list(user=request.user, organisation=organisation),
    })
    if key is not None:
        response["Cache-Control"] = "no-store"  # the key is in this page only; no cache keeps a copy
    return response


@login_required
@require_POST
def api_token_revoke(request, pk, token_pk):
    organisation, _membership = organisation_for(request.user, pk)
    token = get_object_or_404(tokens.api_token_list(user=request.user, organisation=organisation), pk=token_pk)
    tokens.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token “%s” revoked: it no longer works.") % token.name)
    return redirect("api_tokens", organisation.pk)
