"""The three roles of the system, as Django groups with model permissions.

Every view checks a permission, never a group name, so a superuser can shape roles in admin.
The groups and their permissions are (re)created after every migrate.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

STAFF = "UhC-medarbetare"
MEMBER = "Nämndledamot"
CHIEF = "Chef UhC"
ROLES = (STAFF, MEMBER, CHIEF)

OUR_APPS = ("plan", "indicators", "procurement", "reports", "procurement_plan", "supplier_checks")

# Models each role may add, change and delete, as "app_label.model" or "app_label.*".
EDITABLE = {
    STAFF: {"indicators.indicatorvalue", "procurement.*", "plan.meeting", "plan.economicreport",
            "plan.economicreportline", "procurement_plan.procurementplan", "procurement_plan.plannedprocurement",
            "procurement_plan.planconsultation", "supplier_checks.suppliercheck"},
    MEMBER: set(),
    CHIEF: {"reports.*", "plan.specialassignment", "plan.meeting"},
}
# Models a role may not even read, as "app_label.model": who bid is secret until the award decision,
# and committee members see only the counts (procurement/secrecy.py).
UNREADABLE = {
    STAFF: set(),
    MEMBER: {"procurement.bid", "procurement.historicalbid", "supplier_checks.suppliercheck",
             "supplier_checks.historicalsuppliercheck"},
    CHIEF: set(),
}
# Permissions beyond add/change/delete/view, as "app_label.codename".
EXTRA = {
    STAFF: {"procurement.import_register", "procurement.manage_contracts", "procurement.view_integrity_flags"},
    MEMBER: set(),
    CHIEF: {"reports.freeze_report", "reports.reopen_report", "reports.export_report", "procurement.manage_contracts",
            "procurement.view_all_work_lists", "procurement_plan.adopt_plan", "procurement.view_integrity_flags"},
}


def _editable(role, app_label, model_name):
    allowed = EDITABLE[role]
    return f"{app_label}.*" in allowed or f"{app_label}.{model_name}" in allowed


def permissions_for(role, permissions):
    """Pick, from Permission rows (with content_type loaded), those the role should hold."""
    chosen = []
    for perm in permissions:
        app_label, model_name = perm.content_type.app_label, perm.content_type.model
        if app_label not in OUR_APPS:
            continue
        action = perm.codename.split("_", 1)[0]
        if perm.codename == f"view_{model_name}":
            if f"{app_label}.{model_name}" not in UNREADABLE[role]:
                chosen.append(perm)
        elif action in {"add", "change", "delete"} and perm.codename.endswith(f"_{model_name}"):
            if _editable(role, app_label, model_name):
                chosen.append(perm)
        elif f"{app_label}.{perm.codename}" in EXTRA[role]:
            chosen.append(perm)
    return chosen


def ensure_role_groups(using=DEFAULT_DB_ALIAS, apps=global_apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.using(using).select_related("content_type").filter(content_type__app_label__in=OUR_APPS)
    )
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(permissions_for(role, permissions))


def roles_of(user):
    if not user.is_authenticated:
        return []
    return [group.name for group in user.groups.all() if group.name in ROLES]
