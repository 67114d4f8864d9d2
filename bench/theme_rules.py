"""Benchmark: "Apply rules to all verbatims" (assessments.services_themes.rule_themes_apply_all) on N verbatims.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/journeys .venv/bin/python bench/theme_rules.py \
        [--verbatims 20000] [--rules 40] [--runs 3]

Builds a throw-away database (test_journeys_theme_bench, dropped at the end) with one organisation, `--verbatims`
French and English verbatims and a taxonomy of `--rules` keyword rules over 10 micro themes, then times the
synchronous run (median of `--runs`, each rolled back) and counts its queries. Also times the CSV-import path's
extra work: the same rules over the same verbatims at insert time (feedback_bulk_create with rules vs without).
Not a test: the numbers depend on the machine.
"""
# Our modules are imported inside functions here: this script sets Django up (settings, database) first.

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TEXTS = [
    "L'attente au téléphone était trop longue, conseiller peu aimable",
    "Livraison rapide, produit conforme, merci !",
    "The waiting time at the checkout was awful and the price too high",
    "Prix trop élevé par rapport à la concurrence",
    "Great staff in store, very helpful advice",
    "Site web lent, paiement refusé deux fois",
    "Le retour en magasin s'est bien passé",
    "Delivery was late and nobody answered the phone",
]
WORDS = ["attente", "telephone", "conseiller", "livraison", "produit", "waiting time", "checkout", "price", "prix",
         "concurrence", "staff", "advice", "site web", "paiement", "retour", "magasin", "delivery", "late", "phone",
         "rembourse", "colis", "promotion", "fidelite", "carte", "application", "appli", "bug", "commande",
         "stock", "rupture", "vendeur", "caisse", "parking", "horaires", "accueil", "qualite", "garantie", "sav",
         "service client", "trop cher"]


def setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def build(verbatims: int, rules: int):
    from assessments import rollups, services_themes
    from assessments.models import FeedbackResponse
    from planning import services
    from planning.models import Channel
    from tenancy.models import Role
    from tests.factories import OrganisationFactory, PlanFactory, member

    org = OrganisationFactory(name="Theme bench")
    owner = member(org, Role.OWNER, username="theme-owner")
    plan = PlanFactory(organisation=org, name="Theme bench plan")
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = services.journey_create(plan=plan, actor=owner, name="Purchase", template="purchase")
    touchpoint = services.touchpoint_create(stage=journey.stages.first(), channel=channel, actor=owner, name="T")
    macro = services_themes.theme_create(organisation=org, actor=owner, name="Macro")
    micros = [services_themes.theme_create(organisation=org, actor=owner, name=f"Micro {i}", parent=macro)
              for i in range(10)]
    for i in range(rules):
        services_themes.rule_create(theme=micros[i % 10], actor=owner, phrase=WORDS[i % len(WORDS)] + (
            "" if i < len(WORDS) else f" {i}"))
    rows = [{"touchpoint_id": touchpoint.pk, "kind": "nps", "score": i % 11, "responded_on": "2026-09-01",
             "verbatim": f"{TEXTS[i % len(TEXTS)]} #{i}"} for i in range(verbatims)]
    FeedbackResponse.objects.bulk_create([FeedbackResponse(plan=plan, **row) for row in rows], batch_size=2000)
    rollups.rebuild(plan.pk)
    return org, owner, plan, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbatims", type=int, default=20000)
    parser.add_argument("--rules", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db import connection, reset_queries, transaction
    from django.test.utils import setup_test_environment

    from assessments import services, services_themes
    from assessments.models import VerbatimTheme

    setup_test_environment()
    settings.DEBUG = True
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = "test_journeys_theme_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        org, owner, plan, rows = build(args.verbatims, args.rules)
        timings, queries, assigned = [], 0, 0
        for _ in range(args.runs):
            with transaction.atomic():
                reset_queries()
                started = time.perf_counter()
                done = services_themes.rule_themes_apply_all(organisation=org, actor=owner)
                timings.append(time.perf_counter() - started)
                queries, assigned = len(connection.queries), VerbatimTheme.objects.count()
                transaction.set_rollback(True)
        print(f"apply rules to all: {done['responses']} verbatims, {args.rules} rules, {assigned} themes set: "
              f"{statistics.median(timings):.2f} s (median of {args.runs}), {queries} queries")
        settings.DEBUG = False
        imports = {"with rules": [], "without rules": []}
        original = services.organisation_rules
        for _ in range(args.runs):
            for label in imports:
                services.organisation_rules = original if label == "with rules" else (lambda organisation_id: [])
                with transaction.atomic():
                    started = time.perf_counter()
                    services.feedback_bulk_create(plan=plan, actor=owner, rows=[dict(row) for row in rows])
                    imports[label].append(time.perf_counter() - started)
                    transaction.set_rollback(True)
        services.organisation_rules = original
        for label, values in imports.items():
            print(f"bulk import of {args.verbatims} responses {label}: {statistics.median(values):.2f} s")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
