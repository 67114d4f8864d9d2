from django.contrib import admin

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
    list_display = ("touchpoint", "kind", "score", "responded_on", "source")
    list_filter = ("kind",)
    search_fields = ("verbatim",)
    raw_id_fields = ("touchpoint", "plan")


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(admin.ModelAdmin):
    list_display = ("plan", "assessed_on", "channel_level", "engagement_level")
    raw_id_fields = ("plan",)


@admin.register(AuditItem)
class AuditItemAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "kind", "step")
    list_filter = ("kind", "step")
    raw_id_fields = ("plan",)
