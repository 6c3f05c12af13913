"""Waar heb ik recht op? The texts per network, and the participant's request to the team.

The bot explains and never decides: a ticked checklist becomes a RIGHTS flag with the topic
names only, and the team looks at it together with the participant.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import Flag, FlagKind, FlagUrgency, Participant, Role, Staff
from wzt_bot.domain.policies.rights import (
    OwnText,
    RightsSettings,
    RightsTopic,
    parse_topics,
    request_text,
)
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.services import audit, flags


async def _load(uow: UnitOfWork, network_id: uuid.UUID) -> RightsSettings:
    rows = await uow.rights.for_network(network_id)
    own = {
        RightsTopic(topic): OwnText(text, verified)
        for topic, (text, verified) in rows.items()
        if topic in RightsTopic._value2member_map_
    }
    return RightsSettings(own=own)


async def settings_for(uow: UnitOfWork, participant: Participant) -> RightsSettings:
    team = await uow.teams.get(participant.team_id)
    if team is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="team")
    return await _load(uow, team.network_id)


async def _check_network(uow: UnitOfWork, staff: Staff, network_id: uuid.UUID) -> None:
    if await uow.networks.get(network_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="network")
    if staff.role is Role.ADMIN:
        return
    for team_id in staff.team_ids:
        team = await uow.teams.get(team_id)
        if team is not None and team.network_id == network_id:
            return
    raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)


async def read_settings(
    uow: UnitOfWork, clock: Clock, staff: Staff, network_id: uuid.UUID
) -> RightsSettings:
    """Admins, and staff of a team in that network."""
    await _check_network(uow, staff, network_id)
    await audit.by_staff(uow, clock, staff.id, f"network.rights.read:{network_id}", None)
    return await _load(uow, network_id)


async def save_settings(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    network_id: uuid.UUID,
    settings: RightsSettings,
) -> RightsSettings:
    """Admins only. A topic left out (or with an empty text) falls back to the default."""
    if staff.role is not Role.ADMIN:
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)
    await _check_network(uow, staff, network_id)
    await uow.rights.replace(
        network_id,
        {
            t.value: (own.text.strip(), own.last_verified)
            for t, own in settings.own.items()
            if own.text.strip()
        },
    )
    await audit.by_staff(uow, clock, staff.id, f"network.rights:{network_id}", None)
    return await _load(uow, network_id)


async def ask_team(
    uow: UnitOfWork, clock: Clock, participant: Participant, topics: Iterable[str]
) -> Flag:
    """The participant's ticked topics become a request to the team (names only)."""
    chosen = parse_topics(topics)
    if not chosen:
        raise DomainError(ErrorCode.INVALID, field="topics", reason="no topic ticked")
    return await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.RIGHTS,
        urgency=FlagUrgency.NORMAL,
        source="rights:checklist",
        words=flags.Words(text=request_text(chosen)),
    )
