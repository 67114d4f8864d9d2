from django.urls import re_path

from workshops.live.consumers import PlanConsumer

websocket_urlpatterns = [re_path(r"^ws/plans/(?P<plan_id>\d+)/$", PlanConsumer.as_asgi())]
