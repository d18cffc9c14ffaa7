"""The project's form renderer: every form field is drawn by one template, templates/partials/field.html.

Its label (a legend for a group of choices), help text, error and input carry the ids Django points
`aria-describedby` at. Settings: FORM_RENDERER = "common.forms.FormRenderer".
"""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class FormRenderer(DjangoTemplates):
    """Django's own form templates and the apps', with the project's templates/ first."""

    field_template_name = "partials/field.html"

    @cached_property
    def engine(self):
        # The project's template engine cannot find django/forms/ ('django.forms' is not an installed app),
        # and Django's form engine does not look in templates/: this one does both.
        project_dirs = [directory for engine in settings.TEMPLATES for directory in engine.get("DIRS", [])]
        return self.backend({
            "APP_DIRS": True,
            "DIRS": [*project_dirs, Path(django.forms.__file__).parent / self.backend.app_dirname],
            "NAME": "forms",
            "OPTIONS": {},
        })
