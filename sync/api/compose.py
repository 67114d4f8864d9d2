"""What the sync layer adds to every resource of the API, put together where the router registers it.

The apps below define plain viewsets; they never import the sync layer. A viewset that declares an `upsert_scope`
(the parent that makes its external ids unique: see sync.api.upsert.UpsertMixin) gets `PUT by-external-id` and
`POST bulk-upsert`; every viewset honours `Idempotency-Key` on its writes.
"""

from sync.api.idempotency import IdempotentWritesMixin
from sync.api.upsert import UpsertMixin

UPSERT_SETTINGS = ("upsert_scope", "upsert_create_only", "upsert_select_related")


def with_sync(viewset: type) -> type:
    """`viewset` with idempotent writes, and upserts when it declares an upsert scope (same name and module)."""
    upserts = (UpsertMixin,) if getattr(viewset, "upsert_scope", None) else ()
    mixins = (IdempotentWritesMixin, *upserts)
    attrs = {"__module__": viewset.__module__, "__qualname__": viewset.__qualname__, "__doc__": viewset.__doc__}
    # The mixins come first (their methods wrap the viewset's), so their defaults would hide what the viewset
    # declares: its upsert settings are copied over, and the upserts' PUT honours Idempotency-Key too.
    attrs.update({name: getattr(viewset, name) for name in UPSERT_SETTINGS if hasattr(viewset, name)})
    attrs["idempotent_actions"] = tuple({name: None for mixin in (*upserts, viewset)
                                         for name in getattr(mixin, "idempotent_actions", ())})
    return type(viewset.__name__, (*mixins, viewset), attrs)
