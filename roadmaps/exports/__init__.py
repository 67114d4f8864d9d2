"""Plan exports: gather the plan in a bounded number of queries, then render it (PDF, CSV zip, XLSX, JSON).

gather.py is the only module here that queries the database; the renderers are pure functions of its result.
jobs.py moves an Export row through queued → running → succeeded/failed; roadmaps/tasks.py runs it on a worker.
"""

from roadmaps.exports.gather import PlanExportData, gather

__all__ = ["PlanExportData", "gather"]
