"""Small helpers around django-otp's TOTP devices: the demo's fixed secret and the current code
of a device (for the demo only: `manage.py icp_demo_code <username>`)."""

from django_otp.oath import TOTP

# The RFC 6238 test secret ("12345678901234567890"; base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ).
# Only demo accounts have it; the command below refuses every other device.
DEMO_KEY = "3132333435363738393031323334353637383930"


def current_code(device, at=None) -> str:
    """The 6 digits the authenticator app shows now (or at the Unix time `at`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"
