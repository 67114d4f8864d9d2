from sharing.views import manage, present, shared

# The plan's share links page, its presentation, and the pages a link opens (sharing/views/shared.py).
urlpatterns = [*manage.urlpatterns, *present.urlpatterns, *shared.urlpatterns]
