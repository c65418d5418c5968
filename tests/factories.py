"""Test data factories. BSNs come from a generator that only yields numbers passing the 11-proef."""

import datetime as dt

import factory
from django.utils import timezone

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role
from eenloket.core.validators import valid_bsns
from eenloket.organisations.models import Location, Membership, Organisation, Team, User
from eenloket.residents.models import Resident

_bsns = valid_bsns(100_000_000)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"gemeente-test-{n}")
    type = "gemeente"
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    description = "Vragen over werk en inkomen"
    phone = "+31201234567"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Stadskantoor {n}")
    street = "Hengelosestraat"
    house_number = "51"
    postcode = "7514AE"
    city = "Enschede"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = "Sanne"
    last_name = factory.Sequence(lambda n: f"de Vries {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    direct_phone = "+31534811111"
    password = factory.django.Password("Loket-test-2026!")


def staff(organisation, role=Role.BALIEMEDEWERKER, team=None, contact_person=False, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        team=team,
        role=role,
        is_contact_person=contact_person,
    )
    return user


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    bsn = factory.LazyFunction(lambda: next(_bsns))
    given_names = "Fatima"
    surname = factory.Sequence(lambda n: f"Jansen{n}")
    birth_date = dt.date(1980, 5, 17)
    street = "Oude Markt"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "7511GB"
    city = "Enschede"
    phone = "+31612345678"
    # Lives in Enschede: Gemeente Enschede may find them by every key (its own resident).
    municipality = factory.LazyFunction(
        lambda: OrganisationFactory(
            code="gemeente-enschede", type="gemeente", name="Gemeente Enschede"
        )
    )


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment

    organisation = factory.SubFactory(OrganisationFactory)
    staff = factory.SubFactory(UserFactory)
    resident = factory.SubFactory(ResidentFactory)
    channel = "balie"
    question = "Hoe vraag ik bijzondere bijstand aan?"
    answer = "Uitgelegd en formulier meegegeven."
    outcome = "beantwoord"
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


def new_bsn() -> str:
    """A fresh BSN that passes the 11-proef (unique within this test process)."""
    return next(_bsns)


# Fails the 11-proef: 1*9 + 2*8 + 3*7 + 4*6 + 5*5 + 6*4 + 7*3 + 8*2 - 9*1 = 147, not divisible by 11.
INVALID_BSN = "123456789"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalogue.Service"

    code = factory.Sequence(lambda n: f"test-dienst-{n}")
    organisation_type = "gemeente"
    name = factory.Sequence(lambda n: f"Testdienst {n}")
    description = "Een dienst om mee te testen."
    how_to_apply = "Aan de balie."
    channels = factory.LazyFunction(lambda: ["balie"])
    keywords = factory.LazyFunction(list)
    english = factory.LazyFunction(list)
