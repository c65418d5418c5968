"""Audit of changes (django-auditlog, conf/settings/base.py): every change to an organisation,
team, location, opening hours, staff account or membership is recorded with who made it, when and
what changed, whether it was made in the admin or anywhere else. Passwords and last logins are
left out. Loaded by OrganisationsConfig.ready(); the history is shown in the admin."""

from auditlog.registry import auditlog

from .models import Location, Membership, OpeningHours, Organisation, Team, User

auditlog.register(Organisation)
auditlog.register(Team)
auditlog.register(Location, m2m_fields={"guest_organisations"})
auditlog.register(OpeningHours)
auditlog.register(Membership)
auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups", "user_permissions"},
)
