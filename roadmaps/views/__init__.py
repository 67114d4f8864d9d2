"""Pages of roadmaps; each module lists its routes in `urlpatterns`, gathered by roadmaps/urls.py."""
