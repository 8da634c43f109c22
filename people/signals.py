"""What the people app tells the apps above it, which it does not import: a person's roles changed.

The sharing rules listen (sharing/apps.py), so that a person's access follows their roles.
"""

from django.dispatch import Signal

# sender=Membership, partnership=<Partnership>, user_ids=[...]
memberships_changed = Signal()
