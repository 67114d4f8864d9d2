from listening.views import mentions, pages, rules, suggestions

# The listening overview, indicators, competitors and import of a plan (listening/views/pages.py); its mentions, one
# by one (listening/views/mentions.py); re-running the theme rules (listening/views/rules.py);
# suggested themes (listening/views/suggestions.py).
urlpatterns: list = [*pages.urlpatterns, *mentions.urlpatterns, *rules.urlpatterns,
                       *suggestions.urlpatterns]
