"""Cases in the demo (background 003), at Gemeente Enschede: the household Kaya at the
Pathmossingel, with debts, a rent arrear and a threatened eviction. Case manager Enschede
(enschede.casemanager) opened the case three weeks ago; Dienst Toeslagen sees only the money
part, CJIB money and fines, the housing corporation the housing part, each with the resident's
consent; a doorbraak request to CJIB waits for an answer (cjib.medewerker grants it in the
walkthrough); the eviction was postponed under the mandate with the housing corporation; a case
conference is planned next week. The housing corporation and an energy company reported arrears
of another household: a task for the debt-help team (enschede.schulden). An older, closed case
with a refused request fills the "wat staat in de weg" report."""

import contextlib
import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Max

from eenloket.cases import selectors as case_selectors
from eenloket.cases import services as cs
from eenloket.cases.models import DoorbraakBudget, Mandate
from eenloket.contacts.models import Channel, ContactMoment, Outcome
from eenloket.core.audit import recorded_at
from eenloket.core.calendar import (
    AMSTERDAM,
    is_working_day,
    next_working_day_or_today,
    working_day_end,
)
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.organisations.models import Location, Membership, Organisation, Team, User
from eenloket.residents.models import Household, Resident

from .clock import _at_local
from .data import DEMO_PASSWORD

PARTNERS = [
    # code, type, name, phone, staff (username, first, last, title)
    (
        "twentewonen",
        "woningcorporatie",
        "Woonstichting Twentewonen",
        "053 480 7700",
        ("twentewonen.medewerker", "Ilse", "Wolbers", "Woonconsulent"),
    ),
    (
        "energie-oost",
        "energieleverancier",
        "Energie Oost",
        "088 330 4400",
        ("energieoost.medewerker", "Rutger", "Hesselink", "Medewerker incasso"),
    ),
]
EXTRA_STAFF = [
    # organisation code, username, first, last, title, role
    ("cjib", "cjib.doorbraak", "Hanneke", "Zijlstra", "Doorbraakcoördinator", "doorbraak"),
    ("cjib", "cjib.directie", "Pieter", "Bouma", "Directeur Incasso", "management"),
    ("toeslagen", "toeslagen.doorbraak", "Nadia", "El Amrani", "Doorbraakcoördinator", "doorbraak"),
]
DERYA_BSN = "999998006"
ROLES = {"doorbraak": Role.DOORBRAAKCOORDINATOR, "management": Role.MANAGEMENT}


def _user(username, first, last, title, phone, org, role, contact=True):
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.eenloket.nl",
            "job_title": title,
            "direct_phone": phone,
            "password": make_password(DEMO_PASSWORD),
        },
    )
    team = Team.objects.filter(organisation=org).first()
    Membership.objects.get_or_create(
        user=user, organisation=org, team=team, role=role, defaults={"is_contact_person": contact}
    )
    return user


def _household(enschede, surname, street, number, postcode, people):
    household = Household.objects.create(name=f"Huishouden {surname} {street} {number}")
    members = []
    for given, birth, bsn in people:
        members.append(
            Resident.objects.create(
                bsn=bsn,
                given_names=given,
                surname=surname,
                birth_date=birth,
                street=street,
                house_number=number,
                postcode=postcode,
                city="Enschede",
                municipality=enschede,
                phone="+31612873401" if not members else "",
                household=household,
            )
        )
    return members


@contextlib.contextmanager
def happened(when):
    """Steps taken at `when`: their access-log rows and notifications carry that time."""
    mark = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    with recorded_at(when):
        yield
    Notification.objects.filter(id__gt=mark).update(created_at=when)


def _demo_cases(rng, national, municipalities, users, now, bsns) -> dict:
    enschede = municipalities["gemeente-enschede"]
    today = now.astimezone(AMSTERDAM).date()
    logins = []
    partners = {}
    for n, (code, type_, name, phone, (username, first, last, title)) in enumerate(PARTNERS):
        org, _created = Organisation.objects.get_or_create(
            code=code, defaults={"type": type_, "name": name, "phone": phone}
        )
        Team.objects.get_or_create(organisation=org, name="Incasso" if n else "Wonen")
        partners[code] = org
        users[username] = _user(
            username, first, last, title, f"+315348{n}7711", org, Role.MEDEWERKER_UITVOERING
        )
        logins.append((username, org.name, str(Role.MEDEWERKER_UITVOERING.label)))
    for code, username, first, last, title, role in EXTRA_STAFF:
        org = national[code]
        users[username] = _user(
            username, first, last, title, f"+3188{len(users) % 90:02d}45600", org, ROLES[role]
        )
        logins.append((username, org.name, str(ROLES[role].label)))
    manager = users["enschede.casemanager"]
    toeslagen, cjib = national["toeslagen"], national["cjib"]
    housing = partners["twentewonen"]

    # Agreements the municipality made with its partners.
    Mandate.objects.get_or_create(
        municipality=enschede,
        organisation=housing,
        agreement="Convenant Voorkomen Huisuitzettingen Enschede 2026",
        defaults={
            "kinds": ["ontruiming-uitstellen"],
            "max_days": 60,
            "overturn_days": 5,
            "valid_from": dt.date(today.year, 1, 1),
        },
    )
    Mandate.objects.get_or_create(
        municipality=enschede,
        organisation=cjib,
        agreement="Afspraak maatwerk schulden CJIB en Enschede",
        defaults={
            "kinds": ["invordering-pauzeren"],
            "max_days": 90,
            "max_amount": Decimal("2500"),
            "overturn_days": 5,
            "valid_from": dt.date(today.year, 1, 1),
        },
    )
    budget, _created = DoorbraakBudget.objects.get_or_create(
        municipality=enschede, year=today.year, defaults={"amount": Decimal("25000")}
    )

    toeslagen_org = national["toeslagen"]
    kaya = _household(
        enschede,
        "Kaya",
        "Pathmossingel",
        41,
        "7513CK",
        [
            # A fixed BSN for the README's walkthrough 12 (far from the generated range).
            ("Derya", dt.date(1986, 7, 9), DERYA_BSN),
            ("Mert", dt.date(1984, 2, 17), next(bsns)),
            ("Lina", dt.date(2014, 11, 3), next(bsns)),
        ],
    )
    derya = kaya[0]

    def working(day):
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def at(days_ago, minute=10 * 60):
        """A moment `days_ago` days back, on the working day at or before it, in the past
        (today's moment not yet reached: the working day before)."""
        day = working(today - dt.timedelta(days=days_ago))
        if _at_local(day, minute) > now:
            day = working(day - dt.timedelta(days=1))
        return _at_local(day, minute)

    opened = at(21, 10 * 60 + 5)
    # How it started: Derya at the desk, a phone call with Toeslagen (the timeline shows them).
    for days_ago, org, who, channel, question, answer in [
        (
            23,
            enschede,
            "enschede.balie",
            Channel.DESK,
            "Ik heb een brief van de deurwaarder: wij moeten het huis uit.",
            "Direct doorgezet naar de casemanager; zij belt vandaag nog.",
        ),
        (
            10,
            toeslagen_org,
            "toeslagen.medewerker",
            Channel.PHONE,
            "Kan de terugvordering van de huurtoeslag in kleinere bedragen?",
            "Uitgelegd; afstemming loopt via de casemanager van de gemeente.",
        ),
    ]:
        moment = at(days_ago, 9 * 60 + rng.randint(10, 50))
        row = ContactMoment.objects.create(
            location=Location.objects.filter(organisation=org).order_by("id").first()
            if channel == Channel.DESK
            else None,
            organisation=org,
            staff=users[who],
            resident=derya,
            channel=channel,
            question=question,
            answer=answer,
            outcome=Outcome.FOLLOW_UP,
            started_at=moment - dt.timedelta(minutes=9),
            ended_at=moment,
        )
        ContactMoment.objects.filter(pk=row.pk).update(created_at=moment)

    with happened(opened):
        case = cs.open_case(
            user=manager,
            resident=derya,
            title="Schulden en dreigende ontruiming",
            goal="In het huis blijven wonen en weer rust in de financiën, met één plan.",
            now=opened,
        )
        for domain, text, urgent in [
            (
                "wonen",
                "Huurachterstand van vier maanden; de verhuurder heeft ontruiming aangevraagd.",
                True,
            ),
            ("financien", "Terugvordering huurtoeslag 2024 van € 1.860.", False),
            ("justitie", "Drie verkeersboetes met verhogingen bij het CJIB, samen € 1.140.", False),
            (
                "werk-inkomen",
                "Mert werkt sinds kort minder uren; inkomen wisselt per maand.",
                False,
            ),
            ("jeugd", "Lina slaapt slecht door de spanning thuis.", False),
        ]:
            cs.add_problem(
                user=manager, case=case, domain=domain, description=text, urgent=urgent, now=opened
            )
    people = {
        "toeslagen": users["toeslagen.medewerker"],
        "cjib": users["cjib.medewerker"],
        "twentewonen": users["twentewonen.medewerker"],
    }
    with happened(at(20)):
        cs.add_party(
            user=manager,
            case=case,
            organisation=toeslagen,
            contact_person=people["toeslagen"],
            role_in_case="Terugvordering huurtoeslag",
            now=at(20),
        )
        cs.add_party(
            user=manager,
            case=case,
            organisation=cjib,
            contact_person=people["cjib"],
            role_in_case="Boetes en betalingsregeling",
            now=at(20),
        )
        cs.add_party(
            user=manager,
            case=case,
            organisation=housing,
            contact_person=people["twentewonen"],
            role_in_case="Verhuurder",
            now=at(20),
        )
    consent = {
        "basis": "toestemming",
        "given_on": at(20).astimezone(AMSTERDAM).date(),
        "given_how": "schriftelijk",
        "given_by": "Derya Kaya",
        "in_interest": True,
        "own_request": True,
        "no_disadvantage": True,
        "informed": True,
        "valid_until": today + dt.timedelta(days=160),
    }
    with happened(at(20, 10 * 60 + 30)):
        cs.record_consent(
            user=manager,
            case=case,
            organisation=toeslagen,
            parts=["persoonsgegevens", "problemen", "plan"],
            domains=["financien"],
            purpose="Terugvordering huurtoeslag afstemmen met het schuldenplan",
            valid_from=at(20).astimezone(AMSTERDAM).date(),
            now=at(20, 10 * 60 + 30),
            **consent,
        )
        cs.record_consent(
            user=manager,
            case=case,
            organisation=cjib,
            parts=["persoonsgegevens", "problemen", "plan"],
            domains=["financien", "justitie"],
            purpose="Betalingsregeling en pauze van de invordering van de boetes",
            valid_from=at(20).astimezone(AMSTERDAM).date(),
            now=at(20, 10 * 60 + 30),
            **consent,
        )
        cs.record_consent(
            user=manager,
            case=case,
            organisation=housing,
            parts=["persoonsgegevens", "problemen"],
            domains=["wonen"],
            purpose="Ontruiming voorkomen en een huurregeling treffen",
            valid_from=at(20).astimezone(AMSTERDAM).date(),
            now=at(20, 10 * 60 + 30),
            **consent,
        )
    with happened(at(19)):
        for domain, text, owner, due in [
            ("financien", "Alle schulden op een rij zetten met Derya", enschede, 5),
            (
                "financien",
                "Terugvordering huurtoeslag omzetten in betalingsregeling",
                toeslagen,
                12,
            ),
            ("justitie", "Boetes samenvoegen in één regeling", cjib, 14),
            ("wonen", "Huurregeling voorstellen aan de verhuurder", enschede, 10),
        ]:
            cs.add_action(
                user=manager,
                case=case,
                domain=domain,
                description=text,
                owner=owner,
                due_on=next_working_day_or_today(today + dt.timedelta(days=due)),
                now=at(19),
            )
    # The eviction was postponed at once, under the mandate; the corporation confirmed it.
    with happened(at(14, 9 * 60 + 15)):
        pause = cs.pause_with_mandate(
            user=manager,
            case=case,
            to_organisation=housing,
            kind="ontruiming-uitstellen",
            motivation="Er is een schuldhulptraject gestart. De huur wordt vanaf deze maand betaald "
            "via budgetbeheer. Ontruiming zou het gezin dakloos maken.",
            pause_days=60,
            subject_reference="Huurcontract 20-4418",
            now=at(14, 9 * 60 + 15),
        )
    with happened(at(13, 11 * 60)):
        cs.confirm_pause(user=people["twentewonen"], request=pause, now=at(13, 11 * 60))
    with happened(at(12)):
        cs.spend_budget(
            user=manager,
            case=case,
            amount="850",
            paid_to="Woonstichting Twentewonen",
            justification="Eén maand huurachterstand betaald; daarmee stopt de "
            "deurwaarder en blijft de woning behouden.",
            spent_on=at(12).astimezone(AMSTERDAM).date(),
            now=at(12),
        )
    # Toeslagen and CJIB read the case (the inzage shows it) and wrote an update.
    for who, days_ago in [
        ("toeslagen.medewerker", 11),
        ("cjib.medewerker", 9),
        ("toeslagen.medewerker", 4),
    ]:
        with happened(at(days_ago, 14 * 60 + rng.randint(0, 50))):
            case_selectors.get_case(users[who], case.uuid, now=at(days_ago, 14 * 60))
    with happened(at(11, 15 * 60)):
        cs.add_update(
            user=people["toeslagen"],
            case=case,
            domain="financien",
            text="Terugvordering staat stil tot de betalingsregeling rond is. Voorstel: "
            "€ 40 per maand.",
            now=at(11, 15 * 60),
        )
    # The doorbraak request CJIB answers in the walkthrough.
    with happened(at(2, 11 * 60 + 20)):
        cs.send_doorbraak(
            user=manager,
            case=case,
            to_organisation=cjib,
            kind="invordering-pauzeren",
            motivation="De boetes lopen op door verhogingen terwijl het gezin in een schuldhulptraject "
            "zit. Wij vragen de invordering 90 dagen te pauzeren tot de schuldregeling rond is.",
            subject_reference="CJIB 7731 2290 4418",
            pause_days=90,
            answer_by=working_day_end(at(2), 5).astimezone(AMSTERDAM).date(),
            now=at(2, 11 * 60 + 20),
        )
    with happened(at(1)):
        starts = _at_local(next_working_day_or_today(today + dt.timedelta(days=6)), 10 * 60)
        cs.plan_conference(
            user=manager,
            case=case,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            place="Stadskantoor Enschede, kamer 2.14",
            organisations=[toeslagen, cjib, housing],
            agenda="Schuldenoverzicht, betalingsregelingen, huurregeling",
            now=at(1),
        )

    # An older case, closed; its refused request fills the obstacle report.
    older = _household(
        enschede,
        "Brinkman",
        "Gronausestraat",
        212,
        "7533AB",
        [("Sandra", dt.date(1975, 4, 22), next(bsns))],
    )[0]
    start = at(120)
    with happened(start):
        old = cs.open_case(user=manager, resident=older, title="Schulden na scheiding", now=start)
        cs.add_problem(
            user=manager,
            case=old,
            domain="financien",
            description="Schulden bij Belastingdienst en Toeslagen na scheiding.",
            now=start,
        )
        cs.add_party(
            user=manager,
            case=old,
            organisation=toeslagen,
            contact_person=people["toeslagen"],
            now=start,
        )
        cs.record_consent(
            user=manager,
            case=old,
            organisation=toeslagen,
            parts=["problemen"],
            domains=["financien"],
            purpose="Terugvordering kinderopvangtoeslag",
            valid_from=start.astimezone(AMSTERDAM).date(),
            now=start,
            **{
                **consent,
                "given_on": start.astimezone(AMSTERDAM).date(),
                "given_by": "Sandra Brinkman",
                "valid_until": start.astimezone(AMSTERDAM).date() + dt.timedelta(days=90),
            },
        )
        asked = cs.send_doorbraak(
            user=manager,
            case=old,
            to_organisation=toeslagen,
            kind="besluit-aanpassen",
            motivation="Verzoek de terugvordering te verlagen: het inkomen viel na de scheiding weg.",
            answer_by=start.astimezone(AMSTERDAM).date() + dt.timedelta(days=10),
            now=start,
        )
    with happened(at(112)):
        cs.answer_doorbraak(
            user=people["toeslagen"],
            request=asked,
            action="refuse",
            answer="De hoogte van de terugvordering volgt uit de wet.",
            refusal_reason="wet",
            obstructing_rule="Awir art. 26 (terugvordering)",
            now=at(112),
        )
    with happened(at(60)):
        cs.close_case(
            user=manager,
            case=old,
            reason="overgedragen",
            evaluation="Betalingsregelingen lopen; budgetbeheer via de gemeente.",
            obstacles="Toeslagen kon de terugvordering niet verlagen.",
            now=at(60),
        )

    # Early signals: the housing corporation and the energy company about the same household.
    signalled = _household(
        enschede,
        "Oude Egberink",
        "Hengelosestraat",
        87,
        "7514AE",
        [("Martin", dt.date(1969, 12, 1), next(bsns)), ("Petra", dt.date(1971, 6, 30), next(bsns))],
    )
    with happened(at(1, 9 * 60 + 10)):
        first, _c = cs.receive_signal(
            user=users["twentewonen.medewerker"],
            kind="huur",
            amount="1425.00",
            months=2,
            surname="Oude Egberink",
            postcode="7514AE",
            house_number=87,
            reference=f"TW-{today.year}-00871",
            now=at(1, 9 * 60 + 10),
        )
    with happened(at(0, 8 * 60 + 45)):
        cs.receive_signal(
            user=users["energieoost.medewerker"],
            kind="energie",
            amount="386.40",
            months=3,
            surname="Oude Egberink",
            postcode="7514AE",
            house_number=87,
            reference=f"EO-{today.year}-554120",
            now=at(0, 8 * 60 + 45),
        )
    return {
        "logins": logins,
        "case": case.reference,
        "signal": str(first.uuid),
        "signalled": signalled[0].full_name,
        "budget": str(budget.amount),
    }
