"""The staff's forms: a fiche with its partners, actions, budgets and contacts, a collectivity.

The fiche is one ModelForm and four inline formsets saved together (staff/views.py). Years are
checked by the model fields' validators (partnerships/validators.py).
Choice lists (collectivities, domains) are read once per page and shared by every row, so that
the page's query count does not grow with the number of rows.
"""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..models import (
    Action,
    Budget,
    Collectivity,
    CollectivityKind,
    Contact,
    Country,
    DatePrecision,
    Domain,
    Partnership,
    PartnershipEvent,
    PartnershipMember,
    ReviewItem,
    unique_slug,
)


def _normalized(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class StaffModelForm(forms.ModelForm):
    """Texts are kept as printed: no stripping of multi-line texts (the verbatim tables are
    indented), and the browser's CRLF line ends are stored as the fixtures' LF, so that an
    untouched field is neither changed nor recorded in the history."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The models' help texts describe the API's fields and mostly repeat the label: on a
        # form only the help written for it (Meta.help_texts) is shown.
        own_help = self._meta.help_texts or {}
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                field.strip = False
            if name not in own_help:
                field.help_text = ""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            data[name] = _normalized(value)
        return data

    @cached_property
    def changed_data(self):
        return [
            name
            for name in super().changed_data
            if not (
                isinstance(self[name].data, str)
                and isinstance(self[name].initial, str)
                and _normalized(self[name].data) == _normalized(self[name].initial)
            )
        ]


class VersionMixin(forms.Form):
    """The version the form was loaded from, sent back with the save (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class PartnershipForm(VersionMixin, StaffModelForm):
    mark_verified = forms.BooleanField(
        label=_("J'ai vérifié cette fiche (date de dernière vérification : aujourd'hui)"),
        required=False,
    )

    class Meta:
        model = Partnership
        fields = [
            "title",
            "status",
            "updated_on",
            "domains",
            "contacts_start",
            "contacts_start_year",
            "formalisation",
            "formalisation_year",
            "formalisation_kind",
            "budget_cd_as_printed",
            "budget_ri_as_printed",
            "technical_partners",
            "financial_partners",
            "presentation",
            "motivations_french",
            "motivations_malian",
            "perspectives",
            "documents",
            "actions_as_printed",
        ]
        widgets = {
            "updated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "domains": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "contacts_start",
                    "formalisation",
                    "budget_cd_as_printed",
                    "budget_ri_as_printed",
                    "technical_partners",
                    "financial_partners",
                    "motivations_french",
                    "motivations_malian",
                    "perspectives",
                    "documents",
                ]
            },
            "presentation": forms.Textarea(attrs={"rows": 6}),
            "actions_as_printed": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = [(d.pk, d.name) for d in Domain.objects.all()]
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class MemberForm(StaffModelForm):
    """One partner: an existing collectivity, or a new one created on save (name and type)."""

    new_name = forms.CharField(label=_("ou nouvelle collectivité : nom"), required=False)
    new_kind = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", "—"), *CollectivityKind.choices]
    )

    class Meta:
        model = PartnershipMember
        fields = ["collectivity"]

    def __init__(self, *args, side, collectivity_choices, **kwargs):
        self.side = side
        super().__init__(*args, **kwargs)
        field = self.fields["collectivity"]
        field.required = False
        field.queryset = Collectivity.objects.filter(country=side)
        field.choices = collectivity_choices
        field.widget.attrs["data-country"] = side
        field.widget.attrs["class"] = "collectivity-select"

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if not data.get("collectivity") and not data.get("new_name"):
            if self.has_changed():
                raise forms.ValidationError(
                    _("Choisissez une collectivité existante ou donnez le nom d'une nouvelle.")
                )
        if data.get("collectivity") and data.get("new_name"):
            raise forms.ValidationError(
                _("Choisissez une collectivité existante ou créez-en une, pas les deux.")
            )
        if data.get("new_name") and not data.get("new_kind"):
            self.add_error("new_kind", _("Indiquez le type de la nouvelle collectivité."))
        return data

    def save(self, commit=True):
        data = self.cleaned_data
        if data.get("new_name"):
            name = data["new_name"].strip()
            collectivity = Collectivity(
                slug=unique_slug(Collectivity, name),
                country=self.side,
                kind=data["new_kind"],
                name=name,
            )
            collectivity.save()
            self.instance.collectivity = collectivity
        self.instance.side = self.side
        return super().save(commit=commit)


class BaseMemberFormSet(BaseInlineFormSet):
    def __init__(self, *args, side, **kwargs):
        self.side = side
        choices = [("", "—")] + [
            (c.pk, c.name) for c in Collectivity.objects.filter(country=side).only("pk", "name")
        ]
        kwargs.setdefault("form_kwargs", {}).update(side=side, collectivity_choices=choices)
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        # Cached: the formset asks for it once per row and per template use.
        if not hasattr(self, "_side_queryset"):
            self._side_queryset = (
                super().get_queryset().filter(side=self.side).select_related("collectivity")
            )
        return self._side_queryset

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            collectivity = form.cleaned_data.get("collectivity")
            if collectivity is None:
                continue
            if collectivity.pk in seen:
                raise forms.ValidationError(
                    _("« %(name)s » figure deux fois parmi les partenaires."),
                    params={"name": collectivity.name},
                )
            seen.add(collectivity.pk)


MemberFormSet = inlineformset_factory(
    Partnership,
    PartnershipMember,
    form=MemberForm,
    formset=BaseMemberFormSet,
    extra=1,
    can_delete=True,
)


class ActionForm(StaffModelForm):
    class Meta:
        model = Action
        fields = [
            "domain",
            "domain_as_printed",
            "description",
            "period_as_printed",
            "start_year",
            "end_year",
            "budget_as_printed",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "period_as_printed": forms.Textarea(attrs={"rows": 2}),
            "budget_as_printed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, domain_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = domain_choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("L'année de fin précède l'année de début."))
        return data


class PositionedFormSet(BaseInlineFormSet):
    """Rows numbered 1, 2, 3… in the order shown (or chosen with the "Ordre" fields)."""

    ordered = False

    def get_queryset(self):
        if not hasattr(self, "_ordered_queryset"):
            self._ordered_queryset = super().get_queryset().order_by("position")
        return self._ordered_queryset

    def rows_in_order(self):
        forms_kept = [
            f
            for f in self.forms
            if f.has_changed() or f.instance.pk
            if not (self.can_delete and self._should_delete_form(f))
        ]
        if self.ordered:
            forms_kept.sort(
                key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER"))
            )
        return forms_kept


class BaseActionFormSet(PositionedFormSet):
    ordered = True

    def __init__(self, *args, **kwargs):
        choices = [("", "—")] + [(d.pk, d.name) for d in Domain.objects.all()]
        kwargs.setdefault("form_kwargs", {}).update(domain_choices=choices)
        super().__init__(*args, **kwargs)


ActionFormSet = inlineformset_factory(
    Partnership,
    Action,
    form=ActionForm,
    formset=BaseActionFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
)


class BudgetForm(StaffModelForm):
    class Meta:
        model = Budget
        fields = ["action", "kind", "amount", "currency", "year", "as_printed"]

    def __init__(self, *args, action_choices, actions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        # Only the fiche's own actions; the choices are read once for every row.
        field.queryset = actions
        field.choices = action_choices

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("Un montant ne peut pas être négatif."))
        return amount


class BaseBudgetFormSet(PositionedFormSet):
    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and instance.pk:
            actions = Action.objects.filter(partnership=instance)
        else:
            actions = Action.objects.none()
        choices = [("", "—")] + [(a.pk, f"{a.position}. {a}") for a in actions.order_by("position")]
        kwargs.setdefault("form_kwargs", {}).update(action_choices=choices, actions=actions)
        super().__init__(*args, instance=instance, **kwargs)


BudgetFormSet = inlineformset_factory(
    Partnership, Budget, form=BudgetForm, formset=BaseBudgetFormSet, extra=1, can_delete=True
)


class ContactForm(StaffModelForm):
    class Meta:
        model = Contact
        fields = ["side", "role", "name", "function", "address", "phone", "fax", "email", "website"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


ContactFormSet = inlineformset_factory(
    Partnership, Contact, form=ContactForm, formset=PositionedFormSet, extra=1, can_delete=True
)


class EventForm(StaffModelForm):
    class Meta:
        model = PartnershipEvent
        fields = ["kind", "date", "precision", "description", "provenance"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # The blank row must stay blank when nothing is typed in it: a preset precision
            # would make it "changed", so invalid, for a client that does not post the row
            # (no JavaScript, a script). Left blank, the precision is the year.
            self.initial.pop("precision", None)
            field = self.fields["precision"]
            field.required = False
            field.initial = None
            field.choices = [("", "—"), *DatePrecision.choices]

    def clean_precision(self):
        return self.cleaned_data.get("precision") or DatePrecision.YEAR


class BaseEventFormSet(BaseInlineFormSet):
    def get_queryset(self):
        if not hasattr(self, "_dated_queryset"):
            self._dated_queryset = super().get_queryset().order_by("date", "key")
        return self._dated_queryset


EventFormSet = inlineformset_factory(
    Partnership,
    PartnershipEvent,
    form=EventForm,
    formset=BaseEventFormSet,
    extra=1,
    can_delete=True,
)


class CollectivityForm(VersionMixin, StaffModelForm):
    class Meta:
        model = Collectivity
        fields = [
            "name",
            "kind",
            "population",
            "department",
            "department_code",
            "french_region",
            "malian_region",
            "cercle",
            "website",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    def clean(self):
        data = super().clean()
        country = self.instance.country
        if country == Country.FRANCE:
            for name in ("malian_region", "cercle"):
                if data.get(name):
                    self.add_error(name, _("Réservé aux collectivités maliennes."))
        else:
            for name in ("department", "department_code", "french_region"):
                if data.get(name):
                    self.add_error(name, _("Réservé aux collectivités françaises."))
        return data


class ReviewResolutionForm(forms.ModelForm):
    class Meta:
        model = ReviewItem
        fields = ["resolution", "resolution_note"]
        widgets = {"resolution_note": forms.TextInput}

    def clean_resolution(self):
        resolution = self.cleaned_data["resolution"]
        if not resolution:
            raise forms.ValidationError(_("Indiquez si la valeur est confirmée ou corrigée."))
        return resolution
