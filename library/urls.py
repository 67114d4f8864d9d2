from library.views import ideas, library, templates

# The "New plan" page and plan templates (library/views/templates.py), the gallery of journey ideas (ideas.py), the
# organisation's library of personas and journeys seen from a plan (library.py).
urlpatterns = [*templates.urlpatterns, *ideas.urlpatterns, *library.urlpatterns]
