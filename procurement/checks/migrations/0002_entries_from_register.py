"""The register's numbers of in-depth checks and actions (Procurement.supplier_checks, welfare_actions) as
ledger entries "from the register", so that 3.5 and 3.6 computed from the ledger keep their values.

Each entry is dated on the day its procurement was advertised: 3.5 and 3.6 counted the numbers in the year
of `advertised_on`, and the ledger counts an entry in the year of its date (an action: of its action date,
the same day). A procurement never advertised counted nowhere and gets no entries (procurement/checks/
services.py makes them when it is advertised). The same rule as services.register_entries, written out
here because a migration uses the models as they were.
"""

from django.db import migrations
from django.utils import timezone


def entries_from_register(apps, schema_editor):
    Procurement = apps.get_model("procurement", "Procurement")
    SupplierCheck = apps.get_model("supplier_checks", "SupplierCheck")
    History = apps.get_model("supplier_checks", "HistoricalSupplierCheck")
    procurements = (
        Procurement.objects.filter(advertised_on__isnull=False)
        .exclude(supplier_checks=0, welfare_actions=0)
        .values_list("pk", "advertised_on", "supplier_checks", "welfare_actions", "welfare_actions_text")
    )
    entries = []
    for pk, day, checks, actions, text in procurements.iterator():
        made = {"procurement_id": pk, "date": day, "origin": "register"}
        entries += [SupplierCheck(kind="in_depth", result="", **made) for _ in range(checks)]
        entries += [SupplierCheck(kind="unspecified", result="deviation", action_on=day,
                                  note=text if index == 0 else "", **made) for index in range(actions)]
    created = SupplierCheck.objects.bulk_create(entries, batch_size=1000)
    now = timezone.now()
    fields = ["id", "supplier_id", "procurement_id", "contract_id", "date", "kind", "result", "action", "action_on",
              "note", "origin", "version"]
    History.objects.bulk_create(
        [History(**{f: getattr(entry, f) for f in fields}, history_date=now, history_type="+",
                 history_change_reason="Från upphandlingsregistret") for entry in created],
        batch_size=1000,
    )


def remove_entries_from_register(apps, schema_editor):
    apps.get_model("supplier_checks", "SupplierCheck").objects.filter(origin="register").delete()
    apps.get_model("supplier_checks", "HistoricalSupplierCheck").objects.filter(origin="register").delete()


class Migration(migrations.Migration):
    dependencies = [("supplier_checks", "0001_initial")]

    operations = [migrations.RunPython(entries_from_register, remove_entries_from_register)]
