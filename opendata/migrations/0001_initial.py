"""The memory of what each import wrote (opendata.models.ImportedRecord).

A database imported before this migration has no memory yet: its next import adopts every
record that equals the file and reports the others as conflicts."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='ImportedRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('model', models.CharField(max_length=100, verbose_name='model')),
                ('key', models.CharField(max_length=400, verbose_name='key')),
                ('digests', models.JSONField(verbose_name='digests of the imported values')),
                ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported at')),
            ],
            options={
                'verbose_name': 'imported record',
                'verbose_name_plural': 'imported records',
                'constraints': [models.UniqueConstraint(fields=('model', 'key'), name='opendata_importedrecord_key')],
            },
        ),
    ]
