"""Personas, stakeholders, channels and the activity history: the pages around the journey map."""

from planning.views import activity, channels, personas, stakeholders

urlpatterns = personas.urlpatterns + stakeholders.urlpatterns + channels.urlpatterns + activity.urlpatterns
