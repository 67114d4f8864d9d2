"""The built-in plan templates: the seed's purchase journey and the customer lifecycle (planning's built-in stage
templates), each with a first persona to rename and a few touchpoints on the usual channels.

Texts are marked with gettext_noop and translated when a plan is made, in the language of whoever asks; channel
names are matched to the organisation's channels in English or French (documents.builtin_document).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from planning.services import BUILTIN_STAGE_TEMPLATES


@dataclass(frozen=True)
class BuiltinJourney:
    name: str
    stages: list[str]
    # (stage index, channel, touchpoint name, what the customer does)
    touchpoints: list[tuple[int, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    name: str
    description: str
    persona: tuple[str, str]  # name, description
    journeys: list[BuiltinJourney]


PURCHASE = BuiltinTemplate(
    key="purchase",
    name=gettext_noop("Purchase journey"),
    description=gettext_noop("One customer buying: discovery > research > conversion > after-sales, with the usual "
                             "online and offline touchpoints to replace with yours."),
    persona=(gettext_noop("Your customer"), gettext_noop("Who buys: describe them, their goals and frustrations.")),
    journeys=[BuiltinJourney(gettext_noop("Buying a product"), BUILTIN_STAGE_TEMPLATES["purchase"][1], [
        (0, "Online ad", gettext_noop("Sees an ad"), gettext_noop("Clicks the ad")),
        (0, "Social networks and communities", gettext_noop("Reads reviews and posts"), gettext_noop("Reads reviews")),
        (1, "Website", gettext_noop("Compares products"), gettext_noop("Uses the comparison tool")),
        (1, "Physical store", gettext_noop("Tries the product in store"), gettext_noop("Asks an advisor")),
        (2, "Website", gettext_noop("Buys online"), gettext_noop("Pays online")),
        (2, "Checkout", gettext_noop("Pays in store"), gettext_noop("Pays at the till")),
        (3, "Email / mailing", gettext_noop("Receives care tips"), gettext_noop("Reads the email")),
        (3, "Customer service / phone", gettext_noop("Asks for help after buying"),
         gettext_noop("Calls customer service")),
    ])],
)

LIFECYCLE = BuiltinTemplate(
    key="lifecycle",
    name=gettext_noop("Customer lifecycle"),
    description=gettext_noop("The whole relationship: awareness > acquisition > onboarding > engagement > "
                             "retention > advocacy, one touchpoint or two per stage to start from."),
    persona=(gettext_noop("Your customer"), gettext_noop("Who buys: describe them, their goals and frustrations.")),
    journeys=[BuiltinJourney(gettext_noop("Customer lifecycle"), BUILTIN_STAGE_TEMPLATES["lifecycle"][1], [
        (0, "Online ad", gettext_noop("Sees a campaign"), gettext_noop("Watches the ad")),
        (1, "Landing page", gettext_noop("Signs up"), gettext_noop("Fills the form")),
        (2, "Email / mailing", gettext_noop("Receives the welcome series"), gettext_noop("Reads the welcome emails")),
        (3, "Mobile app", gettext_noop("Uses the app"), gettext_noop("Opens the app")),
        (4, "Direct mail", gettext_noop("Gets a loyalty offer"), gettext_noop("Redeems the offer")),
        (4, "Customer service / phone", gettext_noop("Calls customer service"), gettext_noop("Asks a question")),
        (5, "Social networks and communities", gettext_noop("Recommends the brand"), gettext_noop("Shares a post")),
    ])],
)

TEMPLATES = {t.key: t for t in (PURCHASE, LIFECYCLE)}
