from kpis.views import pages

urlpatterns = pages.urlpatterns
