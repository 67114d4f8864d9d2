"""Serializer fields for fast reads."""

from rest_framework import serializers


class PageIdsField(serializers.ManyRelatedField):
    """A many-to-many field answered as ids. On a list page, the ids of every object on the page are read in one
    query of the link table (no related objects built), ordered as the related model orders them; prefetched
    objects (the changes feed prefetches) are used as they are. Writes work as in ManyRelatedField."""

    def get_attribute(self, instance):
        if self.source in getattr(instance, "_prefetched_objects_cache", {}):
            return super().get_attribute(instance)
        book = self.context.setdefault(f"page_ids:{self.source}", {})
        if instance.pk not in book:
            page = self.root.instance if isinstance(self.root, serializers.ListSerializer) else ()
            model = type(instance)
            ids = {obj.pk for obj in page if isinstance(obj, model)} - set(book) | {instance.pk}
            book.update((pk, []) for pk in ids)
            m2m = model._meta.get_field(self.source)
            through, own, other = m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            order = [("-" if name.startswith("-") else "") + f"{other}__{name.lstrip('-')}"
                     for name in m2m.related_model._meta.ordering] + [f"{other}_id"]
            rows = through.objects.filter(**{f"{own}_id__in": ids}).order_by(*order)
            for source, target in rows.values_list(f"{own}_id", f"{other}_id"):
                book[source].append(target)
        return book[instance.pk]

    def to_representation(self, value):
        return [item if isinstance(item, int) else self.child_relation.to_representation(item) for item in value]
