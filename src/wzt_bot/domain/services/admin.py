"""Setting up networks, teams and staff (operators, from the CLI or the demo)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import Network, Role, Staff, Team, new_id
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.security import hash_secret, new_api_token


@dataclass(frozen=True, slots=True)
class CreatedStaff:
    staff: Staff
    token: str  # shown once; only its hash is stored


async def create_team(uow: UnitOfWork, *, name: str, network_name: str) -> Team:
    name, network_name = name.strip(), network_name.strip()
    if not name or not network_name:
        raise DomainError(ErrorCode.INVALID, field="name" if not name else "network")
    network = await uow.networks.get_by_name(network_name)
    if network is None:
        network = Network(id=new_id(), name=network_name)
        await uow.networks.add(network)
    team = Team(id=new_id(), network_id=network.id, name=name)
    await uow.teams.add(team)
    return team


async def create_staff(
    uow: UnitOfWork, *, name: str, role: Role, team_ids: frozenset[uuid.UUID]
) -> CreatedStaff:
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.INVALID, field="name")
    if role is not Role.ADMIN and not team_ids:
        raise DomainError(ErrorCode.INVALID, field="team", reason="required for this role")
    for team_id in team_ids:
        if await uow.teams.get(team_id) is None:
            raise DomainError(ErrorCode.UNKNOWN_TEAM, team_id=str(team_id))
    staff = Staff(id=new_id(), name=name, role=role, team_ids=team_ids)
    token = new_api_token()
    await uow.staff.add(staff, hash_secret(token))
    return CreatedStaff(staff=staff, token=token)


async def authenticate(uow: UnitOfWork, token: str) -> Staff | None:
    staff = await uow.staff.get_by_token_hash(hash_secret(token))
    if staff is None or not staff.active:
        return None
    return staff
