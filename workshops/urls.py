"""Comments, notifications, the workshop page and dot voting; the websocket is in workshops/live/."""

from workshops.views import comments, external, workshops

urlpatterns = comments.urlpatterns + external.urlpatterns + workshops.urlpatterns
