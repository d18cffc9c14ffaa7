"""Shared vocabulary for the access rules in tests/access_*.py.

Each tests/access_<area>.py defines
  RULES = {url_name: (kwargs_factory(world), roles allowed to GET, roles allowed to POST)}
  build(world)  (optional) – creates the objects its URLs need, stored in the `world` dict.
Roles are sets of role names, PUBLIC (no login needed) or None (method not offered).
A fourth element, a dict, may give options: {"anonymous_status": 401} for the token API.
"""

from ops.roles import CHIEF, MEMBER, STAFF

ALL = {STAFF, MEMBER, CHIEF}
PUBLIC = "public"

__all__ = ["ALL", "PUBLIC", "STAFF", "MEMBER", "CHIEF"]
