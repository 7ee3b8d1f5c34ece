"""Text that XML 1.0 can hold, for the Atom feeds and the DCAT-AP-SE metadata.

A text pasted into the admin may hold control characters (a vertical tab from a word
processor, say) that XML 1.0 cannot carry at all, not even escaped: Django's feed writer
refuses them (a 500) and ElementTree writes them as they are (a file no parser reads).
They are left out; everything else is escaped by the XML writer itself.
"""

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """`value` as text without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", str(value))
