"""Signals the plan sends to the rooms above it."""

from django.dispatch import Signal

# Sent inside load_plan's transaction once the plan, its goals, assignments and budget are loaded,
# with plan=Plan, goals={number: Goal} and data=the plan's JSON; receivers load their own parts.
plan_loaded = Signal()
