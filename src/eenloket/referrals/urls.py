"""Screens for referrals and live consults (included at the site root)."""

urlpatterns = []
