from sharing.views import manage, shared

# The plan's share links page, and the pages a link opens (sharing/views/shared.py).
urlpatterns = [*manage.urlpatterns, *shared.urlpatterns]
