"""The changes feed's entries in the OpenAPI schema, typed per resource (a drf-spectacular postprocessing hook).

Its own module: it reads the feed's registry (sync.api.changes), which imports serializers that the schema class
(sync.api.schema, loaded with DRF's settings) must not wait for.
"""

from sync.api.changes import TYPES

TOMBSTONE = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "deleted": {"type": "boolean", "const": True}},
    "required": ["id", "deleted"],
    "description": "An object deleted since (or by) this change.",
}


def feed_change_variants(result, generator, request, public):
    """drf-spectacular postprocessing hook: `FeedChange` as a `oneOf` discriminated by `type`, one variant per feed
    type (sync.api.changes.TYPES) whose `object` is that resource as GET answers it, or a tombstone."""
    schemas = result.get("components", {}).get("schemas", {})
    base = schemas.get("FeedChange")
    if base is None:
        return result
    schemas["FeedTombstone"] = TOMBSTONE
    mapping = {}
    for feed_type in TYPES:
        component = feed_type.serializer_class.__name__.removesuffix("Serializer")
        variant = f"FeedChange{component}"
        properties = {
            **base["properties"],
            "type": {**base["properties"]["type"], "const": feed_type.name},
            "object": {"oneOf": [{"$ref": f"#/components/schemas/{component}"},
                                 {"$ref": "#/components/schemas/FeedTombstone"}],
                       "description": base["properties"]["object"].get("description", "")},
        }
        schemas[variant] = {**base, "properties": properties}
        mapping[feed_type.name] = f"#/components/schemas/{variant}"
    schemas["FeedChange"] = {
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "type", "mapping": mapping},
        "description": "One change; `type` says which resource `object` is.",
    }
    return result
