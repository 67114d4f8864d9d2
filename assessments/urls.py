from assessments.views import audits, evaluations, feedback, maturity

urlpatterns: list = []
# Touchpoint evaluations, agreed values, the heatmap and the ranked gaps (assessments/views/evaluations.py).
urlpatterns += evaluations.urlpatterns
# Customer feedback: entry, CSV import, verbatims and statistics (assessments/views/feedback.py).
urlpatterns += feedback.urlpatterns
# The digital maturity self-assessment (assessments/views/maturity.py).
urlpatterns += maturity.urlpatterns
# Data and content audits (assessments/views/audits.py).
urlpatterns += audits.urlpatterns
