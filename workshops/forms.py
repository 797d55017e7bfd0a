from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChallengeKind


class AnswerFilterForm(forms.Form):
    """Filters of the questionnaire table; the country choices are the table's own."""

    country = forms.ChoiceField(label=_("Pays partenaire"), required=False)
    challenge = forms.ChoiceField(
        label=_("Type de défi"),
        required=False,
        choices=[("", _("tous"))] + list(ChallengeKind.choices),
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("tous"))] + [(c, c) for c in countries]


class SearchForm(forms.Form):
    search = forms.CharField(label=_("Recherche"), required=False, max_length=200)
