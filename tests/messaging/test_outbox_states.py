"""The outbox's state machine (messaging/states.py), checked against an independent table."""

import pytest

from eenloket.core.states import SYSTEM
from eenloket.messaging.models import MessageState
from eenloket.messaging.states import ADMIN, MESSAGE

S = MessageState

# ---- the state machine, checked against an independent table ------------------------------------
# (action, from state) → to state, for the party that may take it
ORACLE = {
    ("claim", S.QUEUED, SYSTEM): S.SENDING,
    ("claim", S.SENDING, SYSTEM): S.SENDING,
    ("sent", S.SENDING, SYSTEM): S.SENT,
    ("postpone", S.SENDING, SYSTEM): S.QUEUED,
    ("give_up", S.SENDING, SYSTEM): S.DEAD,
    ("delivered", S.SENDING, SYSTEM): S.DELIVERED,
    ("delivered", S.SENT, SYSTEM): S.DELIVERED,
    ("delivered", S.BOUNCED, SYSTEM): S.DELIVERED,
    ("bounced", S.SENDING, SYSTEM): S.BOUNCED,
    ("bounced", S.SENT, SYSTEM): S.BOUNCED,
    ("bounced", S.DELIVERED, SYSTEM): S.BOUNCED,
    ("retry", S.DEAD, ADMIN): S.QUEUED,
    ("retry", S.BOUNCED, ADMIN): S.QUEUED,
    ("cancel", S.QUEUED, ADMIN): S.CANCELLED,
    ("cancel", S.DEAD, ADMIN): S.CANCELLED,
    ("cancel", S.BOUNCED, ADMIN): S.CANCELLED,
    ("export", S.QUEUED, ADMIN): S.PRINTING,
    ("mark_sent", S.PRINTING, ADMIN): S.SENT,
}


@pytest.mark.parametrize("action", MESSAGE.actions)
@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("party", [ADMIN, SYSTEM])
def test_state_machine_matches_the_oracle(action, state, party):
    expected = ORACLE.get((action, state, party))
    taken = MESSAGE.row_for(action, state, {party})
    assert (taken.target if taken else None) == expected
