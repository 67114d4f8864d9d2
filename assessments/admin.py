from django.contrib import admin
from django.db import transaction

from assessments import rollups
from assessments.models import (
    AuditItem,
    FeedbackResponse,
    MaturityAssessment,
    TouchpointAgreement,
    TouchpointEvaluation,
)


@admin.register(TouchpointEvaluation)
class TouchpointEvaluationAdmin(admin.ModelAdmin):
    list_display = ("touchpoint", "team", "maturity", "potential_customer", "potential_brand", "updated_at")
    list_filter = ("maturity",)
    raw_id_fields = ("touchpoint", "plan", "team", "evaluated_by")


@admin.register(TouchpointAgreement)
class TouchpointAgreementAdmin(admin.ModelAdmin):
    list_display = ("touchpoint", "maturity", "potential_customer", "potential_brand", "agreed_by")
    raw_id_fields = ("touchpoint", "plan", "agreed_by")


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(admin.ModelAdmin):
    """Edits here keep the statistics' rollups (assessments.rollups) in step, in the same transaction."""

    list_display = ("touchpoint", "kind", "score", "responded_on", "source")
    list_filter = ("kind",)
    search_fields = ("verbatim",)
    raw_id_fields = ("touchpoint", "plan")

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = rollups.counted_now(obj.pk) if change else None
        super().save_model(request, obj, form, change)
        rollups.record(before=before, after=rollups.Counted.of(obj))

    @transaction.atomic
    def delete_model(self, request, obj):
        before = rollups.counted_now(obj.pk)
        super().delete_model(request, obj)
        rollups.record(before=before)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        plan_ids = set(queryset.values_list("plan_id", flat=True))
        super().delete_queryset(request, queryset)
        for plan_id in sorted(plan_ids):
            rollups.rebuild(plan_id)


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(admin.ModelAdmin):
    list_display = ("plan", "assessed_on", "channel_level", "engagement_level")
    raw_id_fields = ("plan",)


@admin.register(AuditItem)
class AuditItemAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "kind", "step")
    list_filter = ("kind", "step")
    raw_id_fields = ("plan",)
