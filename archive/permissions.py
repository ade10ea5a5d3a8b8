"""What a user may do with one innovation now: the one answer pages and the API share.

``allowed_actions(user, innovation)`` is built from the same predicates the services enforce
(``archive.scoping``, the workflow's transitions), so a page never offers a button that the
service behind it would refuse; ``GET /api/innovations/{id}/actions`` returns it to API
clients. The services still check for themselves: this is the forecast, they are the law.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from archive.models import Innovation, InnovationStatus, Role, User
from archive.scoping import can_edit_innovation, input_closed_reason

S = InnovationStatus
# Once submitted, an innovation's profile and evidence wait for the verifier; staff reopen it.
LOCKED_STATUSES = frozenset({S.SUBMITTED, S.VERIFIED, S.PUBLISHED})
REOPENABLE = frozenset({S.SUBMITTED, S.REVISION, S.VERIFIED, S.REJECTED, S.PUBLISHED})
WITHDRAWABLE = frozenset({S.VERIFIED, S.REVISION, S.REJECTED})


@dataclass(frozen=True)
class Actions:
    """Each flag says whether the matching route would accept this user now."""

    edit_profile: bool = False
    upload: bool = False
    claim: bool = False
    delete_evidence: bool = False
    correct_facts: bool = False
    submit: bool = False
    comment: bool = False
    invite: bool = False
    review: bool = False
    decide: bool = False
    publish: bool = False
    reopen: bool = False
    withdraw: bool = False
    # Why input is closed for the unit's people (deadline passed, submitted...), if it is.
    closed_reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def is_outside_verifier(user: User, innovation: Innovation) -> bool:
    """A verifier who may judge this innovation: never one of its own unit."""
    return user.role == Role.VERIFIER and (
        user.unit_id is None or user.unit_id != innovation.unit_id
    )


async def allowed_actions(user: User | None, innovation: Innovation) -> Actions:
    """The actions ``user`` may take on ``innovation`` (which they can already read)."""
    if user is None:
        return Actions()
    staff = user.role == Role.STAFF
    own_admin = user.role == Role.ADMIN and user.unit_id == innovation.unit_id
    editor = await can_edit_innovation(user, innovation)
    closed = None if staff or not editor else await input_closed_reason(innovation)
    writable = editor and closed is None
    status = innovation.status
    outside_verifier = is_outside_verifier(user, innovation)
    return Actions(
        edit_profile=writable and user.role != Role.INNOVATOR and status not in LOCKED_STATUSES,
        upload=writable,
        claim=writable,
        delete_evidence=writable and user.role in (Role.ADMIN, Role.STAFF),
        correct_facts=staff or outside_verifier or (own_admin and status not in LOCKED_STATUSES),
        submit=own_admin and closed is None and status in (S.DRAFT, S.REVISION),
        comment=editor or user.role in (Role.STAFF, Role.VERIFIER),
        invite=own_admin or staff,
        review=outside_verifier and status == S.SUBMITTED,
        decide=(staff or outside_verifier) and status == S.SUBMITTED,
        publish=staff and status == S.VERIFIED,
        reopen=staff and status in REOPENABLE,
        withdraw=staff and status in WITHDRAWABLE,
        closed_reason=closed,
    )
