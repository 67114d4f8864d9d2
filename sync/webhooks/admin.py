from django.contrib import admin

from sync.webhooks.models import WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "organisation", "is_active", "created_at")
    list_filter = ("is_active",)
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_type", "subscription", "status", "response_code", "attempts", "created_at")
    list_filter = ("status",)
    readonly_fields = ("uuid", "event_id", "payload", "log")
