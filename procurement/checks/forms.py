"""The ledger's entry form and the upload of an Excel file of checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procurement import models as register
from procurement.checks.models import SupplierCheck
from procurement.forms import NumberKeyField, SupplierOrgNumberField, VersionedForm, procurement_key_field

FIELDS = ["supplier", "procurement", "contract", "date", "kind", "result", "action", "action_on", "note"]


def _contract_suggestions():
    return list(register.Contract.objects.order_by("-id").values_list("number", "title")[:600])


class SupplierCheckForm(VersionedForm):
    fieldsets = (
        (_("Kontroll"), ["supplier", "procurement", "contract", "date", "kind", "result"]),
        (_("Åtgärd vid avvikelse"), ["action", "action_on", "note"]),
    )

    supplier = SupplierOrgNumberField(label=_("Leverantör (organisationsnummer)"))
    procurement = procurement_key_field(required=False)
    contract = NumberKeyField(
        register.Contract.objects.all(), to_field_name="number", suggestions=_contract_suggestions,
        not_found=_("Det finns inget avtal med avtalsnumret %(value)s."), label=_("Avtal (avtalsnummer)"),
        required=False,
    )

    class Meta:
        model = SupplierCheck
        fields = FIELDS
        widgets = {"result": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].error_messages["required"] = _(
            "Ange organisationsnumret på leverantören som kontrollerades.")
        self.fields["supplier"].widget = forms.TextInput(attrs={"autocomplete": "off", "size": 14})
        self.fields["procurement"].help_text = _("Upphandlingen, avtalet eller båda.")
        # The register's own entries have a kind of their own; nobody records one by hand.
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] != SupplierCheck.Kind.UNSPECIFIED]
        self.fields["result"].choices = SupplierCheck.Result.choices  # radio buttons need no empty choice
        self.fields["result"].required = True
        self.fields["result"].error_messages["required"] = _("Ange resultatet av kontrollen.")
        if self.instance.pk and self.instance.supplier_id:
            self.initial["supplier"] = self.instance.supplier.org_number


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel-fil (.xlsx)"), error_messages={"required": _("Välj en fil att importera.")})
