"""Access rules for the Excel import of the register. See tests/test_access.py for how they are walked."""

from tests.access import STAFF

RULES = {
    "procurement:import_upload": (lambda w: {}, {STAFF}, {STAFF}),
    "procurement:import_template": (lambda w: {}, {STAFF}, None),
    "procurement:import_preview": (lambda w: {}, {STAFF}, None),
    "procurement:import_status": (lambda w: {}, {STAFF}, None),
    "procurement:import_confirm": (lambda w: {}, None, {STAFF}),
}
