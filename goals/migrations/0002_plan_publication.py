"""Plans get publication. Plans that exist already are public today, so they start published;
a plan or goal created from now on starts unpublished."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='is_published',
            field=models.BooleanField(default=True, verbose_name='published'),
        ),
        migrations.AlterField(
            model_name='plan',
            name='is_published',
            field=models.BooleanField(default=False, help_text='A plan being prepared stays hidden: the public sees only published plans and their published goals.', verbose_name='published'),
        ),
        migrations.AlterField(
            model_name='goal',
            name='is_published',
            field=models.BooleanField(default=False, help_text='Only published goals of published plans are shown to the public.', verbose_name='published'),
        ),
    ]
