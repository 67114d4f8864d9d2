"""Comments, notifications, the workshop page and dot voting; the websocket is in workshops/live/."""

from workshops.views import comments, workshops

urlpatterns = comments.urlpatterns + workshops.urlpatterns
