"""What the open-data room stores itself: the memory of what each import wrote.

An import compares three things for every record of a file: what the portal holds now,
what the file says, and what the last import wrote (an ImportedRecord). Only the third
tells a record that staff edited, unpublished, deleted or (an assessment) corrected with a
newer version since the last import from one that the import itself left behind, so that
a re-import never silently undoes work done in the portal (see opendata/importer.py).

Records are found by the format's natural keys, not by foreign keys: the memory outlives
the row, so that a row deleted in the portal is recognised as deleted rather than as
new, and the open-data room needs no reference into the goals and assignments rooms.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedRecord(models.Model):
    """The values that the last import wrote to one record, as a digest per field.

    `model` is the model's label ("goals.goal"), `key` the record's natural key in the
    format as a JSON array (``["mob-2022", 5]`` for goal 5 of plan "mob-2022"), and
    `digests` maps each field the import writes to the SHA-256 of its value's canonical
    JSON; the ordered lists (a goal's links, an assignment's bodies) are fields too.
    """

    model = models.CharField(_("model"), max_length=100)
    key = models.CharField(_("key"), max_length=400)
    digests = models.JSONField(_("digests of the imported values"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="opendata_importedrecord_key"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"
