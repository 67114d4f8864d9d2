"""Rebuild the feedback rollups from the responses, saying first which cells had drifted (assessments.rollups).

    manage.py feedback_rollups              # every plan: report the drift, rebuild the plans that drifted
    manage.py feedback_rollups --check      # report only; exit status 1 when any cell differs
    manage.py feedback_rollups --plan 12    # one plan
"""

from django.core.management.base import BaseCommand, CommandError

from assessments import rollups
from tenancy.models import Plan


class Command(BaseCommand):
    help = "Compare the feedback rollups with the responses and rebuild them (or only check with --check)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="only this plan (its id)")
        parser.add_argument("--check", action="store_true", help="report the drift, change nothing")

    def handle(self, *args, plan=None, check=False, **options):
        plan_ids = [plan] if plan is not None else list(Plan.objects.order_by("pk").values_list("pk", flat=True))
        drifted = 0
        for plan_id in plan_ids:
            found = rollups.drift(plan_id)
            if found:
                drifted += 1
                cells = ", ".join(f"{count} {table} cells" for table, count in sorted(found.items()))
                self.stdout.write(f"Plan {plan_id}: {cells} differ from the responses.")
                if not check:
                    rollups.rebuild(plan_id)
        summary = f"{drifted} of {len(plan_ids)} plans had drifted"
        if check and drifted:
            raise CommandError(summary + " (run without --check to rebuild them).")
        self.stdout.write(summary + ("." if check or not drifted else "; they are rebuilt."))
