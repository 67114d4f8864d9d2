from library.views import templates

# The "New plan" page and plan templates (library/views/templates.py).
urlpatterns = [*templates.urlpatterns]
