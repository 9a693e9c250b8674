from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zava_core.domain.errors import AuthorizationError
from zava_core.domain.principal import HEAD_OFFICE_USER_ID, Principal


@given(st.uuids())
def test_any_uuid_in_any_spelling_parses_to_the_same_principal(user: uuid.UUID) -> None:
    """A principal parsed from a UUID's canonical, upper-case or padded text is that UUID."""
    for text in (str(user), str(user).upper(), f"  {user}  ", user.hex):
        assert Principal.parse(text) == Principal(user)


@pytest.mark.parametrize("raw", [None, "", "   ", "head-office", "00000000-0000-0000-0000", "1 OR 1=1"])
def test_missing_or_malformed_principal_is_refused(raw: str | None) -> None:
    with pytest.raises(AuthorizationError):
        Principal.parse(raw)


def test_head_office_is_the_all_zero_uuid() -> None:
    assert Principal.parse("00000000-0000-0000-0000-000000000000").user_id == HEAD_OFFICE_USER_ID
