"""Roles from DESIGN.md. The value is stored; the label is what the UI shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BALIEMEDEWERKER = "baliemedewerker", _("Baliemedewerker")
    # The stored value stays "kcc-medewerker"; the UI never says KCC (KlantContactCentrum):
    # decision I, the resident is an "inwoner", not a "klant".
    KCC_MEDEWERKER = "kcc-medewerker", _("Medewerker contactcentrum")
    MEDEWERKER_UITVOERING = "medewerker-uitvoering", _("Medewerker uitvoeringsorganisatie")
    CASEMANAGER = "casemanager", _("Casemanager")
    TEAMLEIDER = "teamleider", _("Teamleider")
    KLACHTCOORDINATOR = "klachtcoordinator", _("Klachtcoördinator")
    KLACHTBEHANDELAAR = "klachtbehandelaar", _("Klachtbehandelaar")
    INTERMEDIAIR = "intermediair", _("Intermediair")
    FUNCTIONEEL_BEHEERDER = "functioneel-beheerder", _("Functioneel beheerder")
    PRIVACYFUNCTIONARIS = "privacyfunctionaris", _("Privacyfunctionaris")
    # Answers doorbraak requests that stay unanswered (background 003: "dat is niet ons
    # probleem" is no answer); the first step of their escalation.
    DOORBRAAKCOORDINATOR = "doorbraakcoordinator", _("Doorbraakcoördinator")
    MANAGEMENT = "management", _("Raad of management")


# Roles that work with residents' contacts directly (register, read their own organisation's).
CONTACT_ROLES = frozenset(
    {
        Role.BALIEMEDEWERKER,
        Role.KCC_MEDEWERKER,
        Role.MEDEWERKER_UITVOERING,
        Role.CASEMANAGER,
        Role.TEAMLEIDER,
        Role.KLACHTCOORDINATOR,
        Role.KLACHTBEHANDELAAR,
        Role.DOORBRAAKCOORDINATOR,
    }
)
# Roles that may read the access log (the privacy officer).
AUDIT_ROLES = frozenset({Role.PRIVACYFUNCTIONARIS})
# Roles that read the figures (Staat van de Dienstverlening, social counsellor counts).
REPORT_ROLES = frozenset({Role.TEAMLEIDER, Role.MANAGEMENT, Role.FUNCTIONEEL_BEHEERDER})
# Roles that configure an organisation (its own services and texts in the catalogue).
BEHEER_ROLES = frozenset({Role.FUNCTIONEEL_BEHEERDER})
# Roles that lead a team: they see and take the steps of their whole organisation's referrals.
LEAD_ROLES = frozenset({Role.TEAMLEIDER})
# Roles that own cases for households with stacked problems (a municipality's).
CASE_ROLES = frozenset({Role.CASEMANAGER})
# Roles that answer doorbraak requests unanswered in time (first escalation step).
DOORBRAAK_ROLES = frozenset({Role.DOORBRAAKCOORDINATOR})
