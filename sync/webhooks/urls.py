from django.urls import path

from sync.webhooks import views

urlpatterns = [
    path("organisations/<int:pk>/webhooks/", views.webhooks, name="webhooks"),
    path("organisations/<int:pk>/webhooks/<int:webhook_pk>/", views.webhook_detail, name="webhook_detail"),
    path("organisations/<int:pk>/webhooks/<int:webhook_pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("organisations/<int:pk>/webhooks/<int:webhook_pk>/rotate-secret/", views.webhook_rotate_secret,
         name="webhook_rotate_secret"),
    path("organisations/<int:pk>/webhooks/<int:webhook_pk>/deliveries/<uuid:delivery_id>/redeliver/",
         views.webhook_redeliver, name="webhook_redeliver"),
]
