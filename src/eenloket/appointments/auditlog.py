"""Audit of changes (django-auditlog) of appointments: the configuration (hours, desks,
closures, bookable services) and staff skills. Loaded by AppointmentsConfig.ready()."""

from auditlog.registry import auditlog

from .models import BookableService, Closure, Desk, Schedule, StaffSkill

auditlog.register(Desk)
auditlog.register(BookableService)
auditlog.register(Schedule, m2m_fields={"services", "desks", "staff"})
auditlog.register(Closure)
auditlog.register(StaffSkill)
