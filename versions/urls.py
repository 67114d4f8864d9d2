from versions.views import files, pages

# The plan's versions and copies (versions/views/pages.py), and a version's files (files.py).
urlpatterns = [*pages.urlpatterns, *files.urlpatterns]
