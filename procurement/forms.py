"""Forms of the procurement register: what UhC staff type, checked before anything is saved.

Every form lists its `fieldsets` (legend, field names) so the template can group a long form into
sections with legends. Forms of records with a `version` carry it in a hidden field; the save in
procurement/services.py refuses the save when someone else saved in between.
"""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.locking import CONFLICT_MESSAGE, VersionedFormMixin  # noqa: F401 (CONFLICT_MESSAGE: its old home)
from common.params import as_int
from procurement import models
from procurement.validators import normalize_org_number

NEGATIVE_COUNT = _("Antalet kan inte vara negativt.")
NEGATIVE_AMOUNT = _("Beloppet kan inte vara negativt.")
DUPLICATE_SUPPLIER = _("%(supplier)s finns redan på en annan anbudsrad.")
TOO_MANY_AWARDED = _(
    "Fler anbud är markerade som tilldelade (%(awarded)s) än det finns giltiga, inte diskvalificerade, anbud "
    "(%(valid)s)."
)
# How many suggestions a text field with a list of numbers offers (the newest records).
SUGGESTIONS = 600
MAX_BID_ROWS = 200  # bids in one procurement: a few to a few dozen in practice


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD, which Swedish input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """Kronor as people type them: '1 250 000', '1250000' or '1 250 000 kr'."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = NEGATIVE_AMOUNT
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"\s", "", value).removesuffix("kr")
        return super().to_python(value)


class MunicipalitiesField(forms.ModelMultipleChoiceField):
    """Django's, with a key beyond what an integer column holds refused as an unknown choice: Django would send
    it to the database, where SQLite cannot take an integer above 2^63 − 1 (a server error)."""

    def _check_values(self, value):
        for key in value:
            if str(key).strip().lstrip("-").isdigit() and as_int(key) is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": key})
        return super()._check_values(value)


class SuggestionInput(forms.TextInput):
    """A text box with the browser's suggestions (<datalist>) of the numbers people know records by."""

    def __init__(self, suggestions, attrs=None):
        super().__init__(attrs=attrs)
        self.suggestions = suggestions  # a callable giving (value, description) pairs, run when rendered

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-forslag"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        options = format_html_join("", '<option value="{}">{}</option>', self.suggestions())
        return super().render(name, value, attrs, renderer) + format_html(
            '<datalist id="{}">{}</datalist>', list_id, options
        )


class NumberKeyField(forms.ModelChoiceField):
    """Picks a record by the number people know it by (diarienummer, avtalsnummer).

    Typing a number is quicker than scrolling a list of a thousand procurements or contracts.
    """

    def __init__(self, queryset, *, to_field_name, suggestions, not_found, **kwargs):
        super().__init__(queryset, to_field_name=to_field_name, widget=SuggestionInput(suggestions), **kwargs)
        self.error_messages["invalid_choice"] = not_found

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)


def _procurement_suggestions():
    rows = models.Procurement.objects.order_by("-id").values_list("case_number", "title")[:SUGGESTIONS]
    return list(rows)


def _contract_suggestions():
    rows = models.Contract.objects.order_by("-id").values_list("number", "title")[:SUGGESTIONS]
    return list(rows)


def procurement_key_field(**kwargs):
    return NumberKeyField(
        models.Procurement.objects.all(),
        to_field_name="case_number",
        suggestions=_procurement_suggestions,
        not_found=_("Det finns ingen upphandling med diarienumret %(value)s."),
        label=_("Upphandling (diarienummer)"),
        **kwargs,
    )


def needs_marking(field):
    """Required fields the user could leave empty (a list without an empty choice always has a value)."""
    if not field.required or isinstance(field, forms.BooleanField):
        return False
    if field.initial not in (None, ""):
        return False  # has a default (0, a choice): filled in from the start
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return True
    if isinstance(field.widget, (forms.RadioSelect, forms.TextInput)):
        return True
    if isinstance(field, forms.ModelChoiceField):
        return field.empty_label is not None
    if isinstance(field, forms.ChoiceField):
        return any(value == "" for value, _label in field.choices)
    return True


def field_names(fieldsets):
    """The fields of (legend, names) fieldsets, in order: a form's Meta.fields."""
    return [name for _legend, names in fieldsets for name in names]


WIDE_TITLE = {"title": forms.TextInput(attrs={"size": 60})}


class RegisterForm(forms.ModelForm):
    """Shared behaviour: date pickers, checkbox groups, Swedish messages for negative numbers."""

    fieldsets = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.widget.is_required = field.required
            elif isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = forms.CheckboxSelectMultiple()
                field.widget.choices = field.choices
                field.widget.is_required = field.required
            elif isinstance(field, forms.IntegerField) and field.min_value == 0:
                field.error_messages["min_value"] = NEGATIVE_COUNT
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
        for field in self.fields.values():
            field.mark_required = needs_marking(field)
        # Keys the user types rather than picks show the number, not the database id.
        for name, field in self.fields.items():
            if isinstance(field, NumberKeyField) and self.instance.pk and getattr(self.instance, f"{name}_id"):
                self.initial[name] = getattr(self.instance, name)

    def grouped(self):
        """[(legend, [bound fields])] for the template; fields not in a fieldset come last."""
        placed = {name for _legend, names in self.fieldsets for name in names}
        groups = [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]
        rest = [self[name] for name in self.fields if name not in placed and not self[name].is_hidden]
        return groups + ([(None, rest)] if rest else [])


class VersionedForm(VersionedFormMixin, RegisterForm):
    """A form of a record with optimistic locking: the version it was loaded at travels with it
    (common/locking.py)."""


PROCUREMENT_FIELDSETS = (
    (
        _("Grunduppgifter"),
        [
            "case_number", "title", "category", "product_group", "kind", "procedure", "reserved",
            "municipalities", "in_procurement_plan", "planned_completion", "innovative_solution",
        ],
    ),
    (
        _("Status och datum"),
        [
            "status", "advertised_on", "tender_deadline", "awarded_on", "completed_on", "cancelled_on",
            "cancellation_reason", "questions_received", "negotiation_held", "negotiation_saving_sek",
            "bidders_contacted",
        ],
    ),
    (
        _("Krav"),
        [
            "employment_requirement", "traineeships", "labour_law_conditions", "accessibility_requirement",
            "gender_equality_requirement", "preparedness_requirement", "environmental_requirement",
            "is_food", "organic_food_requirement", "local_food_requirement",
        ],
    ),
    (
        _("UHM-nivåer"),
        [
            "env_management_level", "reuse_level", "climate_transport_level", "climate_other_level",
            "chemicals_level",
        ],
    ),
    (
        _("Välfärdsbrottslighet"),
        [
            "welfare_crime_risk", "supplier_checks", "tenders_disqualified_welfare", "welfare_actions",
            "welfare_actions_text",
        ],
    ),
    (_("Överprövning"), ["appealed_on", "appeal_outcome"]),
    (_("Övrigt"), ["notes"]),
)


class ProcurementForm(VersionedForm):
    fieldsets = PROCUREMENT_FIELDSETS

    class Meta:
        model = models.Procurement
        fields = field_names(PROCUREMENT_FIELDSETS)
        field_classes = {"negotiation_saving_sek": AmountField, "municipalities": MunicipalitiesField}
        widgets = WIDE_TITLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].error_messages["required"] = _("Välj minst en beställande kommun.")
        self.fields["negotiation_saving_sek"].error_messages["min_value"] = _("Besparingen kan inte vara negativ.")
        self.fields["product_group"].choices = _product_groups_by_category()


def _product_groups_by_category():
    """The 160 product groups under their category (one query), as <optgroup>s."""
    groups = {}
    ordered = models.ProductGroup.objects.select_related("category")
    for group in ordered.order_by("category__order", "category__name", "name"):
        groups.setdefault(group.category.name, []).append((group.pk, group.name))
    return [("", "---------"), *groups.items()]


# The one <datalist> of suppliers that every bid row's input points at (rendered once in _bids.html).
SUPPLIER_LIST_ID = "leverantorer-forslag"
ORG_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


class SupplierOrgNumberField(forms.ModelChoiceField):
    """A bid's supplier, typed as its organisationsnummer (or picked by name from the suggestions).

    A list of every supplier on every bid row would be thousands of options; a text box with one
    shared list of suggestions is as quick. "5560160680" and "Dala Städ AB (556016-0680)" both find
    556016-0680. The bid formset looks up the suppliers of all its rows in one query (`known`).
    """

    widget = forms.TextInput(attrs={"list": SUPPLIER_LIST_ID, "autocomplete": "off", "size": 14})

    def __init__(self, **kwargs):
        super().__init__(models.Supplier.objects.all(), to_field_name="org_number", **kwargs)
        self.known = None  # {org number: models.Supplier} found beforehand, or None to look up here
        self.error_messages["required"] = _("Ange organisationsnumret på leverantören som lämnade anbudet.")
        self.error_messages["invalid_choice"] = _(
            "Ingen leverantör med organisationsnumret %(value)s finns i registret. Registrera leverantören först."
        )
        self.error_messages["not_org_number"] = _(
            "”%(value)s” är inget organisationsnummer. Skriv det som NNNNNN-NNNN eller välj leverantören bland "
            "förslagen."
        )

    @staticmethod
    def org_number(value):
        """The organisation number in what was typed, with its hyphen; the text as typed if there is none."""
        value = (value or "").strip()
        match = ORG_NUMBER_IN_TEXT.search(value)
        return f"{match.group(1)}-{match.group(2)}" if match else value

    def to_python(self, value):
        value = self.org_number(value if isinstance(value, str) else str(value or ""))
        if value in self.empty_values:
            return None
        if not ORG_NUMBER_IN_TEXT.fullmatch(value):
            raise forms.ValidationError(self.error_messages["not_org_number"], code="not_org_number",
                                        params={"value": value})
        if self.known is None:
            return super().to_python(value)
        if value not in self.known:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return self.known[value]


class BidForm(forms.ModelForm):
    supplier = SupplierOrgNumberField(label=_("Anbudsgivare"))

    class Meta:
        model = models.Bid
        fields = ["supplier", "disqualified", "awarded"]

    def __init__(self, *args, known_suppliers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].known = known_suppliers
        if self.instance.pk:
            self.initial["supplier"] = self.instance.supplier  # shown as its org number, not its id

    @property
    def supplier_name(self):
        """The name of the supplier the row's organisation number stands for, shown beside the box."""
        supplier = self.cleaned_data.get("supplier") if hasattr(self, "cleaned_data") else None
        if supplier is None and not self.is_bound and self.instance.pk:
            supplier = self.instance.supplier
        return supplier.name if supplier else ""


class BaseBidFormSet(BaseInlineFormSet):
    """The bids of a procurement, edited inline; the suppliers typed on every row are looked up at once."""

    supplier_list_id = SUPPLIER_LIST_ID

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_suppliers = self._typed_suppliers() if self.is_bound else None

    def _typed_suppliers(self):
        pattern = re.compile(rf"^{re.escape(self.prefix)}-\d+-supplier$")
        typed = {SupplierOrgNumberField.org_number(value)
                 for key, value in self.data.items() if pattern.match(key) and isinstance(value, str)}
        # Only an organisation number names a supplier (to_python refuses the rest, and PostgreSQL a NUL byte).
        numbers = {number for number in typed if ORG_NUMBER_IN_TEXT.fullmatch(number)}
        return {s.org_number: s for s in models.Supplier.objects.filter(org_number__in=numbers)}

    def supplier_suggestions(self):
        """(org number, name) of every supplier, for the one <datalist> of the bid rows."""
        return models.Supplier.objects.order_by("name", "org_number").values_list("org_number", "name")

    def get_queryset(self):
        return super().get_queryset().select_related("supplier")

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "known_suppliers": self.known_suppliers}

    def error_links(self):
        """(anchor, text) of every error of the bid rows, for the error summary above the form."""
        links = [("anbud", f"{_('Anbud')}: {error}") for error in self.non_form_errors()]
        for row, form in enumerate(self.forms, start=1):
            where = _("Anbudsrad %(row)s") % {"row": row}
            links += [(form["supplier"].id_for_label, f"{where}: {error}") for error in form.non_field_errors()]
            for field in form:
                links += [(field.id_for_label, f"{where}, {field.label.lower()}: {error}") for error in field.errors]
        return links

    def gone_rows(self):
        """Rows of bids someone else removed since the rows were loaded (the row still has the bid's id)."""
        return [form for form in self.initial_forms if form.instance.pk is None]

    def new_rows_of_saved_bidders(self):
        """New rows for a bidder whose bid someone else saved since the rows were loaded."""
        saved = dict(models.Bid.objects.filter(procurement_id=self.instance.pk).values_list("supplier_id", "id"))
        shown = {form.instance.pk for form in self.initial_forms}
        return [
            form for form in self.live_forms()
            if form.instance.pk is None and saved.get(form.cleaned_data["supplier"].pk, None) not in (None, *shown)
        ]

    def save(self, commit=True):
        if self.new_rows_of_saved_bidders():
            raise StaleBidRows
        return super().save(commit)

    def rebased(self):
        """The typed rows moved onto the bids as saved now, for the form shown after a conflict.

        A row of a bid still saved stays that bid's row; a typed bidder whose bid someone else saved
        meanwhile joins that bid's row; the row of a removed bid is typed anew (dropped if it was to be
        removed anyway); bids saved by the other person that this form did not have are shown as saved.
        Saving again then saves what was typed, without stale rows.
        """
        saved = list(bid_formset(instance=self.instance, extra=0).get_queryset())
        by_id = {str(bid.pk): bid for bid in saved}
        by_org_number = {bid.supplier.org_number: bid for bid in saved}
        typed, extra = {}, []
        for row in self._typed_rows():
            bid = by_id.get(row.pop("id", ""))
            if bid is None and ("DELETE" in row or not row.get("supplier")):
                continue
            if bid is None:
                bid = by_org_number.get(SupplierOrgNumberField.org_number(row["supplier"]))
            if bid is None or bid.pk in typed:
                extra.append(row)
            else:
                typed[bid.pk] = row
        rows = [{**typed.get(bid.pk, _bid_row(bid)), "id": str(bid.pk)} for bid in saved] + extra + [{}, {}]
        rows = [{**row, "procurement": str(self.instance.pk)} for row in rows]
        return bid_formset(self._data_with_rows(rows, initial=len(saved)), instance=self.instance, extra=0)

    def _typed_rows(self):
        names = ("id", "supplier", "disqualified", "awarded", "DELETE")
        rows = [{name: self.data[f"{form.prefix}-{name}"] for name in names if f"{form.prefix}-{name}" in self.data}
                for form in self.forms]
        return [row for row in rows if row]

    def _data_with_rows(self, rows, *, initial):
        data = self.data.copy()
        for key in [key for key in data if key.startswith(f"{self.prefix}-")]:
            del data[key]
        management = {"TOTAL_FORMS": len(rows), "INITIAL_FORMS": initial, "MIN_NUM_FORMS": 0,
                      "MAX_NUM_FORMS": self.max_num}
        for name, value in management.items():
            data[f"{self.prefix}-{name}"] = str(value)
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{self.prefix}-{index}-{name}"] = value
        return data

    def live_forms(self):
        """Rows that will be saved: filled in, valid so far and not marked for removal."""
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if hasattr(form, "cleaned_data"):
                yield form

    def clean(self):
        # Replaces the generic unique check of model formsets with a message on the row itself.
        seen = set()
        valid = awarded = 0
        for form in self.live_forms():
            supplier = form.cleaned_data.get("supplier")
            if supplier is not None and supplier.pk in seen:
                form.add_error("supplier", forms.ValidationError(
                    DUPLICATE_SUPPLIER, code="duplicate_supplier", params={"supplier": supplier.name}))
            elif supplier is not None:
                seen.add(supplier.pk)
            # The instance holds the ticks even when a field error took them out of cleaned_data.
            valid += not form.instance.disqualified
            awarded += bool(form.instance.awarded)
        if awarded > valid:
            raise forms.ValidationError(
                TOO_MANY_AWARDED, code="too_many_awarded", params={"awarded": awarded, "valid": valid}
            )


class StaleBidRows(Exception):
    """A bid row no longer fits the bids as saved: raised by the bid formset's save, a conflict."""


def _bid_row(bid):
    """A saved bid as its row's form data."""
    row = {"supplier": bid.supplier.org_number}
    row.update({name: "on" for name in ("disqualified", "awarded") if getattr(bid, name)})
    return row


def bid_formset(data=None, *, instance, extra):
    # A posted row count is capped (Django would build up to 2 000 rows for bids-TOTAL_FORMS=99999999).
    formset_class = inlineformset_factory(
        models.Procurement, models.Bid, form=BidForm, formset=BaseBidFormSet, extra=extra, can_delete=True,
        max_num=MAX_BID_ROWS, absolute_max=MAX_BID_ROWS, validate_max=True,
    )
    return formset_class(data, instance=instance, prefix="bids")


CONTRACT_FIELDSETS = (
    (_("Avtal"), ["number", "title", "procurement", "supplier", "contract_class", "municipalities"]),
    (_("Giltighet och värde"), ["start_date", "end_date", "estimated_yearly_value"]),
    (_("Förvaltning"), ["responsible", "municipality_contact"]),
    (_("Avslutat i förtid"), ["terminated_on", "termination_reason"]),
)


def contract_managers():
    """Active users who may change contracts (UhC staff, Chef UhC, superusers): who can manage one."""
    may_change = Q(codename="change_contract", content_type__app_label="procurement")
    permissions = Permission.objects.filter(may_change)
    return (
        get_user_model().objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions))
        .distinct().order_by("first_name", "last_name", "username")
    )


class ContractForm(VersionedForm):
    fieldsets = CONTRACT_FIELDSETS

    procurement = procurement_key_field(required=False)

    class Meta:
        model = models.Contract
        fields = field_names(CONTRACT_FIELDSETS)
        field_classes = {"estimated_yearly_value": AmountField, "municipalities": MunicipalitiesField}
        widgets = WIDE_TITLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].error_messages["required"] = _("Välj minst en kommun.")
        self.fields["estimated_yearly_value"].error_messages["min_value"] = _("Årsvärdet kan inte vara negativt.")
        self.fields["procurement"].help_text = _(
            "Lämna tomt för avtal som inte kommer från en registrerad upphandling."
        )
        self.fields["responsible"].queryset = contract_managers()
        self.fields["responsible"].label_from_instance = lambda user: user.get_full_name() or user.username


class FollowUpForm(VersionedForm):
    fieldsets = ((_("Uppföljning"), ["contract", "date", "form", "notes", "actions"]),)

    contract = NumberKeyField(
        models.Contract.objects.all(),
        to_field_name="number",
        suggestions=_contract_suggestions,
        not_found=_("Det finns inget avtal med avtalsnumret %(value)s."),
        label=_("Avtal (avtalsnummer)"),
    )

    class Meta:
        model = models.ContractFollowUp
        fields = ["contract", "date", "form", "notes", "actions"]
        widgets = {"form": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = models.ContractFollowUp.Form.choices  # radio buttons need no empty choice
        self.fields["form"].error_messages["required"] = _("Välj hur uppföljningen gjordes.")


class SupplierForm(VersionedForm):
    fieldsets = (
        (_("Leverantör"), ["name", "org_number"]),
        (_("Egenskaper"), ["regional", "sme", "social_enterprise"]),
    )

    class Meta:
        model = models.Supplier
        fields = ["name", "org_number", "regional", "sme", "social_enterprise"]

    def clean_org_number(self):
        # Stored with the hyphen, so '5560160680' finds an existing '556016-0680' as a duplicate.
        return normalize_org_number(self.cleaned_data["org_number"])


class InformationActivityForm(VersionedForm):
    fieldsets = ((_("Informationsaktivitet"), ["date", "kind", "title", "procurement", "municipalities"]),)

    procurement = procurement_key_field(required=False)

    class Meta:
        model = models.InformationActivity
        fields = ["date", "kind", "title", "procurement", "municipalities"]
        field_classes = {"municipalities": MunicipalitiesField}


class CompetenceEffortForm(VersionedForm):
    fieldsets = ((_("Kompetenshöjande insats"), ["date", "municipality", "title", "participants"]),)

    class Meta:
        model = models.CompetenceEffort
        fields = ["date", "municipality", "title", "participants"]


class DialogueForm(VersionedForm):
    fieldsets = ((_("Dialog med kommun"), ["date", "municipality", "kind", "notes"]),)

    class Meta:
        model = models.MunicipalityDialogue
        fields = ["date", "municipality", "kind", "notes"]

