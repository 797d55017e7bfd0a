"""Web sites are http(s) addresses only: the validator on the fields, and the rows cleaned.

Every `website` of collectivities and contacts, and of their history rows (a revert must not
bring an old value back), is rewritten with partnerships.text.web_address, the rule the
importer follows:

- an address without a scheme gets "http://": "www.ville.fr" → "http://www.ville.fr" (the link
  the pages used to build from it);
- an http:// or https:// address is kept as it is;
- a remark around an address keeps the address:
  "(voir site association X : http://x.free.fr)" → "http://x.free.fr";
- anything else is emptied: another scheme ("javascript:…", "data:…", "ftp:…", "mailto:…") or
  text that holds no address.

What the rule gives is checked with the fields' validator, and emptied if refused. The change
cannot be undone (the reverse step leaves the rows as they are).
"""

from django.core.exceptions import ValidationError
from django.db import migrations, models

import partnerships.validators
from partnerships.text import web_address

MODELS = ("Collectivity", "Contact", "HistoricalCollectivity", "HistoricalContact")


def clean_websites(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("partnerships", name)
        rows = model.objects.exclude(website="").only("pk", "website")
        changed = []
        for row in rows.iterator():
            address = web_address(row.website)
            try:
                partnerships.validators.validate_web_url(address)
            except ValidationError:
                address = ""
            if address != row.website:
                row.website = address
                changed.append(row)
        model.objects.bulk_update(changed, ["website"], batch_size=500)


def field():
    return models.CharField(
        blank=True,
        help_text="Site web (adresse http:// ou https://)",
        max_length=200,
        validators=[partnerships.validators.validate_web_url],
        verbose_name="site web",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_member_printing"),
    ]

    operations = [
        migrations.RunPython(clean_websites, migrations.RunPython.noop),
        migrations.AlterField(model_name="collectivity", name="website", field=field()),
        migrations.AlterField(model_name="contact", name="website", field=field()),
        migrations.AlterField(model_name="historicalcollectivity", name="website", field=field()),
        migrations.AlterField(model_name="historicalcontact", name="website", field=field()),
    ]
