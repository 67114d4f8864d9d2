"""The gallery of journey ideas: the small first journeys the practitioner guides advise starting with, one customer
group and one goal each (welcome new customers, newsletter sign-up, second purchase, app adoption, abandoned
browsing, re-engagement, call-back after a service call), with their stages and suggested touchpoints on the usual
channels. A plan's editors start a journey from one (services.journey_from_idea); texts are translated then.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class JourneyIdea:
    key: str
    name: str
    description: str
    stages: list[str]
    # (stage index, channel, touchpoint name, what the customer does)
    touchpoints: list[tuple[int, str, str, str]] = field(default_factory=list)


IDEAS = [
    JourneyIdea("welcome", gettext_noop("Welcome new customers"), gettext_noop(
        "The first weeks after a first purchase or sign-up: make the customer feel known and show what comes next."),
        [gettext_noop("First purchase"), gettext_noop("Welcome"), gettext_noop("First use"),
         gettext_noop("First feedback")], [
        (0, "Checkout", gettext_noop("Creates an account at the till"), ""),
        (1, "Email / mailing", gettext_noop("Receives the welcome email"), ""),
        (1, "Sales advisor", gettext_noop("Is thanked by the advisor"), ""),
        (2, "Mobile app", gettext_noop("Discovers the services in the app"), ""),
        (3, "Email / mailing", gettext_noop("Answers a satisfaction survey"), ""),
    ]),
    JourneyIdea("newsletter", gettext_noop("Newsletter sign-up"), gettext_noop(
        "From the sign-up form to the first newsletters read, and the way out: the lifecycle of communications."),
        [gettext_noop("Sign-up"), gettext_noop("Confirmation"), gettext_noop("Reading"),
         gettext_noop("Unsubscribe")], [
        (0, "Website", gettext_noop("Fills the sign-up form"), ""),
        (0, "In-store kiosk", gettext_noop("Signs up at the kiosk"), ""),
        (1, "Email / mailing", gettext_noop("Confirms the address"), ""),
        (2, "Email / mailing", gettext_noop("Reads a newsletter"), ""),
        (2, "Landing page", gettext_noop("Clicks through to an offer"), ""),
        (3, "Email / mailing", gettext_noop("Chooses fewer emails or unsubscribes"), ""),
    ]),
    JourneyIdea("second-purchase", gettext_noop("Second purchase"), gettext_noop(
        "Turn a one-time buyer into a returning customer: the moments between the first and the second order."),
        [gettext_noop("After the first purchase"), gettext_noop("Reminder"), gettext_noop("Return visit"),
         gettext_noop("Second purchase")], [
        (0, "Email / mailing", gettext_noop("Gets tips on the product bought"), ""),
        (1, "Online ad", gettext_noop("Sees a matching product"), ""),
        (1, "Direct mail", gettext_noop("Receives a voucher"), ""),
        (2, "Website", gettext_noop("Comes back to the website"), ""),
        (3, "Physical store", gettext_noop("Redeems the voucher in store"), ""),
    ]),
    JourneyIdea("app-adoption", gettext_noop("App adoption"), gettext_noop(
        "Bring customers to install the app and make it a habit."),
        [gettext_noop("Discovery"), gettext_noop("Installation"), gettext_noop("First use"),
         gettext_noop("Habit")], [
        (0, "Physical store", gettext_noop("Sees the app poster in store"), ""),
        (0, "Email / mailing", gettext_noop("Reads the app announcement"), ""),
        (1, "Mobile app", gettext_noop("Installs the app and signs in"), ""),
        (2, "Mobile app", gettext_noop("Scans the loyalty card"), ""),
        (3, "Mobile app", gettext_noop("Receives a useful notification"), ""),
    ]),
    JourneyIdea("abandoned-browsing", gettext_noop("Abandoned browsing"), gettext_noop(
        "A visitor looked at products or filled a basket and left: bring them back without being intrusive."),
        [gettext_noop("Browsing"), gettext_noop("Leaving"), gettext_noop("Reminder"), gettext_noop("Return")], [
        (0, "Website", gettext_noop("Looks at a product several times"), ""),
        (1, "Website", gettext_noop("Leaves a full basket"), ""),
        (2, "Email / mailing", gettext_noop("Receives a basket reminder"), ""),
        (2, "Online ad", gettext_noop("Sees the product again in an ad"), ""),
        (3, "Website", gettext_noop("Comes back and buys"), ""),
    ]),
    JourneyIdea("re-engagement", gettext_noop("Re-engage lapsed customers"), gettext_noop(
        "Customers who stopped buying or opening emails: understand why and win them back."),
        [gettext_noop("Lapse"), gettext_noop("Win-back offer"), gettext_noop("Return"),
         gettext_noop("Retention")], [
        (0, "Email / mailing", gettext_noop("Stops opening emails"), ""),
        (1, "Direct mail", gettext_noop("Receives a win-back offer"), ""),
        (1, "Customer service / phone", gettext_noop("Is called by an advisor"), ""),
        (2, "Physical store", gettext_noop("Comes back to the store"), ""),
        (3, "Email / mailing", gettext_noop("Receives personalised news"), ""),
    ]),
    JourneyIdea("service-callback", gettext_noop("Call-back after a service call"), gettext_noop(
        "After a call to customer service: follow up, check the problem is solved, learn from it."),
        [gettext_noop("Service call"), gettext_noop("Resolution"), gettext_noop("Call-back"),
         gettext_noop("Feedback")], [
        (0, "Customer service / phone", gettext_noop("Calls about a problem"), ""),
        (1, "Email / mailing", gettext_noop("Receives the case summary"), ""),
        (2, "Customer service / phone", gettext_noop("Is called back to check it is solved"), ""),
        (3, "Email / mailing", gettext_noop("Rates the service"), ""),
        (3, "Website", gettext_noop("Leaves a review"), ""),
    ]),
]
BY_KEY = {idea.key: idea for idea in IDEAS}
