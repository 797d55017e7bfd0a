"""The partner's form: one field per ``Item`` (partnerships/updates/fields.py), plain HTML."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .fields import as_text, fingerprint

SEEN_SALT = "partnerships.updates.seen"


def field_name(key: str) -> str:
    return key.replace(".", "-")


class PartnerForm(forms.Form):
    """The fields the partner may change, the values seen (signed fingerprints), a message.

    Every text is kept as typed (no stripping): a field the partner did not touch comes back
    with exactly the fingerprint it was sent with, and is not proposed.
    """

    submitter = forms.CharField(
        label=_("Votre nom et votre fonction (facultatif)"), max_length=200, required=False
    )
    message = forms.CharField(
        label=_(
            "Autre chose à nous dire (nouvelles actions, partenariat suspendu ou terminé, "
            "nouveau contact…)"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, items, domains, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            name = field_name(item.key)
            if item.field == "domains":
                field = forms.MultipleChoiceField(
                    choices=[(d.slug, d.name) for d in domains],
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
                self.initial[name] = [slug for slug in item.value.split(",") if slug]
            else:
                field = item.model._meta.get_field(item.field).formfield()
                field.strip = False
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 3
                self.initial[name] = item.value
            field.required = False
            field.label = item.label
            field.help_text = ""
            self.fields[name] = field
        self.initial["seen"] = signing.dumps(
            {item.key: fingerprint(item.value) for item in items}, salt=SEEN_SALT
        )

    def groups(self):
        """[(group title, [bound fields])], in the order of the items."""
        out = []
        for item in self.items:
            if not out or out[-1][0] != item.group:
                out.append((item.group, []))
            out[-1][1].append(self[field_name(item.key)])
        return out

    def clean(self):
        data = super().clean()
        for item in self.items:
            name = field_name(item.key)
            if item.field == "domains" or name not in data:
                continue
            value = as_text(data[name])
            data[name] = value
            if value:
                # The model's own checks (an http(s) web site…), as the staff form runs them.
                try:
                    item.model._meta.get_field(item.field).run_validators(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def changes(self):
        """The fields the partner changed: key, label, fingerprint seen, value before, after."""
        try:
            seen = signing.loads(self.cleaned_data.get("seen") or "", salt=SEEN_SALT)
        except signing.BadSignature:
            seen = {}
        out = []
        for item in self.items:
            value = self.cleaned_data.get(field_name(item.key))
            if item.field == "domains":
                value = ",".join(sorted(value or []))
            value = as_text(value)
            base = seen.get(item.key) or fingerprint(item.value)
            if fingerprint(value) == base:
                continue
            out.append(
                {
                    "key": item.key,
                    "label": f"{item.group} — {item.label}",
                    "seen": base,
                    "before": item.value if fingerprint(item.value) == base else None,
                    "after": value,
                }
            )
        return out
