"""Demo data for `make demo`, in parts per domain (`data`, `clock`, `catalogue`, `referrals`);
`loader.load` puts them together through the same services the screens use."""

from .data import DEMO_PASSWORD, MUNICIPALITIES, NATIONAL
from .loader import load

__all__ = ["DEMO_PASSWORD", "MUNICIPALITIES", "NATIONAL", "load"]
