from listening.views import mentions, pages

# The listening overview, indicators, competitors and import of a plan (listening/views/pages.py); its mentions, one
# by one (listening/views/mentions.py).
urlpatterns: list = [*pages.urlpatterns, *mentions.urlpatterns]
