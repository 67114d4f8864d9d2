from library.views import ideas, templates

# The "New plan" page and plan templates (library/views/templates.py), the gallery of journey ideas (ideas.py).
urlpatterns = [*templates.urlpatterns, *ideas.urlpatterns]
