"""What the schools app tells the apps above it, which it does not import: schools were added, or a
cluster's members changed. The sharing rules listen (sharing/apps.py), so that the grants follow.
"""

from django.dispatch import Signal

# sender=School, partnership=<Partnership>, school_ids=[...]
schools_changed = Signal()
