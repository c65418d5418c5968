"""Small helpers shared by the complaint tests."""

from eenloket.complaints import services


def register(user, organisation, *, resident=None, employee=None, about_body=False, **extra):
    part = {"organisation": organisation, "employee": employee, "about_body": about_body}
    part.update(extra.pop("part", {}))
    return services.register_complaint(
        user=user,
        channel=extra.pop("channel", "balie"),
        description=extra.pop(
            "description",
            "De medewerker aan de balie was onvriendelijk en luisterde niet naar mijn vraag "
            "over mijn paspoort.",
        ),
        parts=[part, *extra.pop("also", [])],
        resident=resident,
        **extra,
    )


def formal_part(coordinator, organisation, **kwargs):
    complaint = register(coordinator, organisation, **kwargs)
    part = complaint.parts.get(organisation=organisation)
    return services.make_formal(user=coordinator, part=part)
