"""How a resident's need is met: one table (decision VIII). A need asks for a desk feature, a
trained employee, a longer slot, or only for the employee to know beforehand ("other").

Slot search (slots.py) offers only times where an employee and a desk that meet every need are
both free; the booking records whether they did (pilot monitoring)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import DeskFeature, Need, Skill


@dataclass(frozen=True)
class Rule:
    desk: frozenset = frozenset()  # the desk has one of these features
    skill: str = ""  # the employee has this skill
    slot_factor: int = 1  # the slot is this many times as long


RULES: dict[str, Rule] = {
    Need.WHEELCHAIR: Rule(desk=frozenset({DeskFeature.WHEELCHAIR, DeskFeature.LOW_COUNTER})),
    Need.HEARING_LOOP: Rule(desk=frozenset({DeskFeature.HEARING_LOOP})),
    Need.SIGN_LANGUAGE: Rule(skill=Skill.SIGN_LANGUAGE),
    Need.EXTRA_TIME: Rule(slot_factor=2),
    Need.EASY_LANGUAGE: Rule(skill=Skill.EASY_LANGUAGE),
    Need.VISUAL: Rule(skill=Skill.VISUAL),
    Need.OTHER: Rule(),
}


# The skills some need asks for (the others, e.g. a language, are not matched to needs yet).
NEED_SKILLS = frozenset(rule.skill for rule in RULES.values() if rule.skill)


def clean_needs(values) -> list[str]:
    """The needs as a sorted list of known codes; ValidationError for an unknown one."""
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    result = set()
    for value in values:
        value = str(value).strip()
        if value not in RULES:
            raise ValidationError(
                {"needs": [_("Onbekende ondersteuning: %(need)s.") % {"need": value[:40]}]},
                code="invalid",
            )
        result.add(value)
    return sorted(result)


def required_skills(needs) -> frozenset[str]:
    return frozenset(RULES[n].skill for n in needs if RULES[n].skill)


def desk_requirements(needs) -> list[frozenset]:
    """Per need, the features of which the desk must have at least one."""
    return [RULES[n].desk for n in needs if RULES[n].desk]


def slot_factor(needs) -> int:
    return max([RULES[n].slot_factor for n in needs] or [1])


def desk_fits(features, needs) -> bool:
    have = set(features or ())
    return all(have & wanted for wanted in desk_requirements(needs))


def employee_fits(skills: set[str], needs) -> bool:
    return required_skills(needs) <= skills


def from_resident(resident) -> list[str]:
    """The needs on a resident's record, as booking needs (prefill when staff book)."""
    if resident is None:
        return []
    needs = []
    if resident.needs_mobility:
        needs.append(Need.WHEELCHAIR)
    if resident.needs_hearing:
        needs.append(Need.HEARING_LOOP)
    if resident.needs_visual:
        needs.append(Need.VISUAL)
    if resident.needs_cognitive:
        needs.append(Need.EASY_LANGUAGE)
    if resident.needs_other:
        needs.append(Need.OTHER)
    return sorted(str(n) for n in needs)
