from experience.views import insights, lanes

urlpatterns = lanes.urlpatterns + insights.urlpatterns
