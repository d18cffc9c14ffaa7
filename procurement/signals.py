"""Signals the register sends to the rooms above it, which listen without the register knowing them."""

from django.dispatch import Signal

# Sent after writes that bypass the model signals (bulk_create, QuerySet.update), so whatever was
# derived from the register (the indicators' memo) is refreshed. Receivers take **kwargs.
register_changed = Signal()
