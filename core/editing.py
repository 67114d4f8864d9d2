"""One pattern for the edit pages of versioned objects: create, edit (stale-safe) and delete (stale-checked).

A resource describes its pages once, in a subclass of EditPages; `views()` gives its three views
(`as_view(action="create" | "edit" | "delete")`):

    class PersonaPages(PlanObjectPages):  # tenancy.editing: load() checks the plan's access
        name, pk_url_kwarg = "persona", "persona_pk"
        form_class, template_name = PersonaForm, "planning/catalogue/persona_form.html"
        writes = services.persona_create, services.persona_update, services.persona_delete
        texts = {"created": _("Persona “%s” created."), ...}

    persona_create, persona_edit, persona_delete = PersonaPages.views()

What the three pages do:
- create: the empty form; on a valid POST `writes[0](**create_kwargs(), actor=user, **changes(form))`.
- edit: the form filled with `initial(object)`; on a valid POST `writes[1](<name>=object, actor=user,
  version=<the version the form was loaded with>, **changes(form))`. When someone else saved meanwhile
  (StaleVersion) nothing is saved: the form keeps what was typed, its next save is based on their version, and the
  page shows their values beside yours (`conflict` and `theirs` in the context, for partials/conflict.html).
- delete: a confirmation carrying the version looked at; on POST `writes[2](<name>=object, actor=user, version=...)`.
  When the object changed meanwhile the delete is refused and the confirmation is asked again, for the object as
  it is now; a ValidationError (the object is still in use) is flashed.
A service's ValidationError lands on the form. Success flashes `texts["created" | "saved" | "deleted"]` (a "%s" in
it is the object's `label`) and redirects to `success_url(object)`.

Hooks, to override where a resource differs:
- load(**url_kwargs): the access check; sets what the pages share (self.plan, ...) and returns the object, None
  when creating. Required: this is where the resource's app decides who may edit.
- form_kwargs(), initial(obj), changes(form), create_kwargs(), their_values(form, current): the form and the calls.
- context(**extra): what every page of the resource shows; form_page(form, **extra) and confirm_page(form, obj)
  render; delete_context(obj) adds to the confirmation (by default `confirm` and a cancel link to success_url).
- label(obj), success_url(obj), delete_refused(current).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from .forms import ConfirmDeleteForm
from .versioning import StaleVersion


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def keep_typed(form, current, message) -> None:
    """After StaleVersion: the form keeps what was typed, its next save is based on their version, `message` on top."""
    form.data = form.data.copy()
    form.data["version"] = current.version if current is not None else ""
    form.add_error(None, message)


def their_fields(form, current, names, message) -> list:
    """For a form without a stale() of its own: keep what was typed, and list their saved value of every field."""
    keep_typed(form, current, message)
    return [(form[name], getattr(current, name)) for name in names]


class EditPages(LoginRequiredMixin, View):
    """The create, edit and delete pages of one versioned resource (see the module's docstring)."""

    action = "edit"  # "create", "edit" or "delete": given to as_view()
    name = "object"  # the object's name in the page context and the keyword of its update and delete services
    form_class = None
    template_name = ""  # the form page
    delete_form_class = ConfirmDeleteForm
    delete_template_name = ""  # the confirmation page
    writes: tuple = ()  # the (create, update, delete) services
    texts: dict = {}  # created, saved, conflict (stale save), deleted, changed (stale delete)
    confirm: dict = {}  # what the confirmation page says about the object (kind, section, consequence...)

    @classmethod
    def views(cls, **initkwargs) -> tuple:
        """The create, edit and delete views."""
        return tuple(cls.as_view(action=action, **initkwargs) for action in ("create", "edit", "delete"))

    def get(self, request, **kwargs):
        return self.page()

    def post(self, request, **kwargs):
        return self.page()

    def page(self):
        self.object = self.load(**self.kwargs)
        return {"create": self.create_page, "edit": self.edit_page, "delete": self.delete_page}[self.action]()

    # The pages ---------------------------------------------------------------------------------------------------

    def create_page(self):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            try:
                created = self.writes[0](**self.create_kwargs(), actor=self.request.user, **self.changes(form))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.done("created", created)
        return self.form_page(form)

    def edit_page(self):
        form = self.get_form(initial=self.initial(self.object))
        conflict = theirs = None
        if form.is_bound and form.is_valid():
            try:
                self.writes[1](**{self.name: self.object}, actor=self.request.user,
                               version=form.cleaned_data.get("version"), **self.changes(form))
            except StaleVersion as stale:
                conflict = stale.current
                theirs = self.their_values(form, conflict)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return self.done("saved", self.object)
        return self.form_page(form, conflict=conflict, theirs=theirs)

    def delete_page(self):
        form = self.delete_form_class(self.request.POST if self.request.method == "POST" else None,
                                      initial={"version": self.object.version})
        if form.is_bound and form.is_valid():
            try:
                self.writes[2](**{self.name: self.object}, actor=self.request.user,
                               version=form.cleaned_data["version"])
            except StaleVersion as stale:
                return self.delete_refused(stale.current)
            except ValidationError as error:
                flash_errors(self.request, error)
                return redirect(self.success_url(self.object))
            return self.done("deleted", self.object)
        return self.confirm_page(form, self.object)

    def done(self, text: str, obj):
        messages.success(self.request, self.message(text, obj))
        return redirect(self.success_url(obj))

    # Hooks -------------------------------------------------------------------------------------------------------

    def load(self, **kwargs):
        raise NotImplementedError("EditPages.load: check access and return the object (None when creating)")

    def form_kwargs(self) -> dict:
        return {}

    def get_form(self, **kwargs):
        files = self.request.FILES or None
        return self.form_class(self.request.POST or None, files, **kwargs, **self.form_kwargs())

    def initial(self, obj) -> dict:
        return self.form_class.initial_for(obj)

    def changes(self, form) -> dict:
        return form.changes()

    def create_kwargs(self) -> dict:
        return {}

    def their_values(self, form, current) -> list:
        """Their saved values beside what was typed, as (bound field, their value); the form keeps what was typed."""
        return form.stale(current, self.texts["conflict"])

    def label(self, obj) -> str:
        return str(obj)

    def message(self, text: str, obj) -> str:
        message = self.texts[text]
        return message % self.label(obj) if "%s" in message else str(message)

    def success_url(self, obj) -> str:
        raise NotImplementedError("EditPages.success_url: where the pages go after a save or a delete")

    def context(self, **extra) -> dict:
        return extra

    def form_page(self, form, **extra):
        if self.object is not None:
            extra[self.name] = self.object
        return render(self.request, self.template_name, self.context(form=form, **extra))

    def delete_context(self, obj) -> dict:
        return {"object": obj, "cancel_url": self.success_url(obj), **self.confirm}

    def confirm_page(self, form, obj):
        return render(self.request, self.delete_template_name, self.context(form=form, **self.delete_context(obj)))

    def delete_refused(self, current):
        """Someone changed the object since the confirmation was shown: ask again, for the object as it is now."""
        messages.warning(self.request, self.texts["changed"])
        self.object = current
        return self.confirm_page(self.delete_form_class(initial={"version": current.version}), current)
