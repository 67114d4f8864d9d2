from django.contrib import admin

from roadmaps.models import Export, RoadmapItem, ScoringCriterion, ScoringSettings


@admin.register(RoadmapItem)
class RoadmapItemAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "category", "horizon", "status", "manual_rank")
    list_filter = ("category", "horizon", "status")
    search_fields = ("title",)
    raw_id_fields = ("plan", "owner")


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(admin.ModelAdmin):
    list_display = ("plan", "method")
    raw_id_fields = ("plan",)


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "weight", "direction")
    raw_id_fields = ("plan",)


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ("plan", "format", "status", "progress", "created_at", "finished_at")
    list_filter = ("format", "status")
    raw_id_fields = ("plan", "requested_by")
