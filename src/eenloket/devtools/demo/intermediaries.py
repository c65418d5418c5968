"""Demo of the Intermediairen Contact Punt (decision XIII): Buurtkracht Enschede, the sociaal
raadslieden and wijkcoaches of Enschede, with a volunteer, a semi-professional and a professional
partner (TOTP devices with one fixed demo secret: `manage.py icp_demo_code <username>` prints the
code the app would show), an invitation still open, and reports in every state: one acute
report answered the same morning, one in progress, one forwarded after the norm, one new and one
past its norm (escalated to the team lead)."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.roles import CONTACT_ROLES
from eenloket.intermediaries import services
from eenloket.intermediaries.models import ContactPointSettings, Intermediary, TrustLevel
from eenloket.intermediaries.totp import DEMO_KEY
from eenloket.organisations.models import Membership, Organisation, Team, User

from .clock import _at_local, _working_day, _working_days_before
from .data import DEMO_PASSWORD

PARTNER = ("buurtkracht-enschede", "Buurtkracht Enschede", "+31534301200")
PEOPLE = [
    # username, first, last, title, trust level, phone
    (
        "buurtkracht.vrijwilliger",
        "Riek",
        "Nijhuis",
        "Vrijwilliger thuisadministratie",
        TrustLevel.VOLUNTEER,
        "+31612480311",
    ),
    (
        "buurtkracht.raadsvrouw",
        "Fenna",
        "Hofstede",
        "Sociaal raadsvrouw in opleiding",
        TrustLevel.SEMI_PROFESSIONAL,
        "+31534301214",
    ),
    (
        "buurtkracht.wijkcoach",
        "Jeroen",
        "Kleinsman",
        "Wijkcoach Enschede-Oost",
        TrustLevel.PROFESSIONAL,
        "+31534301221",
    ),
]
# (who, working days ago, minute of the day, urgency, concern, name, address, phone, consent,
#  reason, answer: (state, minutes later, text) or None)
REPORTS = [
    (
        "buurtkracht.vrijwilliger",
        3,
        10 * 60 + 5,
        "acuut",
        "Mevrouw heeft sinds gisteren geen stroom meer. De energieleverancier heeft haar "
        "afgesloten. Ze heeft schulden en geen eten meer in huis. Ze durft zelf niet te bellen.",
        "mevrouw Wessels",
        "Kuipersdijk 112, Enschede",
        "06 1234 5670",
        "ja",
        "",
        (
            "afgerond",
            95,
            "We zijn vanochtend bij mevrouw geweest. De stroom is weer aan en ze heeft een "
            "afspraak bij schuldhulpverlening. Dank u wel voor uw melding.",
        ),
    ),
    (
        "buurtkracht.wijkcoach",
        1,
        14 * 60 + 20,
        "spoed",
        "Meneer is 81 en valt vaak. Hij kan niet meer goed lopen en krijgt geen hulp in het "
        "huishouden. Hij wil wel hulp, maar weet niet hoe hij die moet aanvragen.",
        "meneer Olthof",
        "Lasondersingel 40, Enschede",
        "053 431 2207",
        "ja",
        "",
        (
            "in-behandeling",
            70,
            "Onze Wmo-consulent belt meneer deze week voor een gesprek over hulp thuis.",
        ),
    ),
    (
        "buurtkracht.raadsvrouw",
        9,
        11 * 60,
        "normaal",
        "Meneer is zijn baan kwijt en heeft nog geen uitkering aangevraagd. Hij kan zijn huur "
        "deze maand niet betalen.",
        "Dennis Meijerink",
        "Deppenbroek, Enschede",
        "",
        "ja",
        "",
        (
            "doorgezet",
            60 * 24 * 8,
            "We hebben meneer geholpen met de aanvraag van een uitkering en bijzondere "
            "bijstand. Hij heeft een afspraak bij het UWV.",
        ),
    ),
    (
        "buurtkracht.vrijwilliger",
        4,
        15 * 60 + 30,
        "spoed",
        "Een oudere buurvrouw opent haar post niet meer. Er liggen stapels brieven over "
        "schulden en incasso. Ze raakt in paniek als ik erover begin.",
        "mevrouw Ter Braak",
        "Pathmos, Enschede",
        "",
        "niet-gevraagd",
        "Ze is erg in de war en begrijpt nu niet wat een melding is.",
        None,
    ),
    (
        "buurtkracht.wijkcoach",
        0,
        9 * 60 + 10,
        "normaal",
        "Moeder met twee kinderen zit in de schulden en kan de rekeningen niet meer betalen. "
        "Ze wil hulp bij het op orde brengen van haar geld.",
        "Priscilla Kuipers",
        "Velve-Lindenhof, Enschede",
        "06 2876 1144",
        "ja",
        "",
        None,
    ),
]


def _handler(report):
    """A colleague of the routed team with a contact role (the first by name)."""
    members = Membership.objects.filter(
        organisation=report.organisation, role__in=CONTACT_ROLES, user__is_active=True
    ).select_related("user")
    if report.team_id:
        members = members.filter(team=report.team)
    member = members.order_by("user__last_name", "id").first()
    return member.user if member else None


def _last_notification() -> int:
    return Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _demo_intermediaries(municipalities, users, now) -> dict:
    enschede = municipalities["gemeente-enschede"]
    code, name, phone = PARTNER
    partner, _created = Organisation.objects.get_or_create(
        code=code, defaults={"type": "sociaal-raadslieden", "name": name, "phone": phone}
    )
    admin = users.get("enschede.beheer") or User.objects.get(username="enschede.beheer")
    wmo = Team.objects.filter(organisation=enschede, name="Wmo en jeugd").first()
    ContactPointSettings.objects.get_or_create(municipality=enschede, defaults={"intake_team": wmo})
    password = make_password(DEMO_PASSWORD)
    logins = []
    people = {}
    for username, first, last, title, level, mobile in PEOPLE:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.eenloket.nl",
                "job_title": title,
                "password": password,
            },
        )
        people[username], _created = Intermediary.objects.get_or_create(
            user=user,
            defaults={
                "municipality": enschede,
                "organisation": partner,
                "trust_level": level,
                "phone": mobile,
                "invited_by": admin,
                "created_at": now - dt.timedelta(days=60),
            },
        )
        TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "Demo-app", "key": DEMO_KEY, "confirmed": True}
        )
        logins.append((username, partner.name, f"Intermediair ({TrustLevel(level).label.lower()})"))
    # Someone invited who has not set up the account yet (the e-mail is in the outbox).
    if not User.objects.filter(username="sevda.yildiz@buurtkracht.example").exists():
        services.invite(
            user=admin,
            municipality=enschede,
            organisation=partner,
            first_name="Sevda",
            last_name="Yıldız",
            email="sevda.yildiz@buurtkracht.example",
            trust_level=TrustLevel.VOLUNTEER,
            now=now - dt.timedelta(days=1),
        )

    today = now.astimezone(AMSTERDAM).date()
    made = []
    for (
        who,
        days_ago,
        minute,
        urgency,
        concern,
        rname,
        address,
        rphone,
        consent,
        reason,
        answer,
    ) in REPORTS:
        day = _working_days_before(_working_day(today), days_ago)
        at = _at_local(day, minute)
        if at > now - dt.timedelta(minutes=30):  # later today than the demo is loaded
            at = _at_local(_working_days_before(day, 1), minute)
        mark = _last_notification()
        report = services.create_report(
            user=people[who].user,
            concern=concern,
            urgency=urgency,
            resident_name=rname,
            resident_address=address,
            resident_phone=rphone,
            consent=consent,
            no_consent_reason=reason,
            now=at,
        )
        made.append(report)
        # The team heard of an acute report when it came in, not when the demo was loaded.
        Notification.objects.filter(id__gt=mark).update(created_at=at)
        if answer is None:
            continue
        state, after, text = answer
        handler = _handler(report)
        if handler is None:
            continue
        services.answer_report(
            user=handler,
            report=report,
            state=state,
            answer=text,
            now=min(at + dt.timedelta(minutes=after), now),
        )
    # The sweep found the unanswered ones; the team lead heard when the moment passed.
    escalated = 0
    for report in made:
        report.refresh_from_db()
        if report.first_answered_at is None and report.escalate_at < now:
            mark = _last_notification()
            escalated += services.escalate_overdue(report.escalate_at + dt.timedelta(seconds=1))
            Notification.objects.filter(id__gt=mark).update(created_at=report.escalate_at)
    return {"logins": logins, "reports": len(made), "escalated": escalated}
