"""The upload form: refuses a bad file with the import's own messages, and reads a good one once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procurement.importing.checks import check_file
from procurement.importing.reading import read_workbook
from procurement.importing.result import ImportRefused


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ifylld mall (.xlsx)"),
        help_text=_("Högst 10 MB. Inget sparas förrän du har sett förhandsgranskningen och bekräftat."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    sheets = None  # what read_workbook read from a valid file

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file(upload)
            self.sheets = read_workbook(upload)  # read once: the dry run of the upload view imports these
        except ImportRefused as refused:
            raise forms.ValidationError(refused.messages, code="refused") from None
        return upload
