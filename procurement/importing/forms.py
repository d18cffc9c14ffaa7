"""The upload form: refuses a bad file with the import's own messages before it is kept.

Only what the archive's table of contents tells (size, type, macros, unpacked size) is checked here;
reading the rows is the worker's (tasks.py), so no request waits for a large workbook.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from procurement.importing.checks import check_file, file_size
from procurement.importing.result import ImportRefused


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ifylld mall (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Högst %(size)s. Inget sparas förrän du har sett förhandsgranskningen och bekräftat.") % {
            "size": file_size(settings.IMPORT_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file(upload)
        except ImportRefused as refused:
            raise forms.ValidationError(refused.messages, code="refused") from None
        return upload
