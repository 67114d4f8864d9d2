from listening.views import pages

# The listening overview, indicators, competitors and import of a plan (listening/views/pages.py).
urlpatterns: list = [*pages.urlpatterns]
