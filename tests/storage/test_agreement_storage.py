"""Agreements in storage: a confirmation is recorded once whatever races, and the migration
marks every pairing made before agreements existed as already noted, so nobody is told of a
pairing that never had an agreement to confirm."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, text
from sqlmodel.sql.sqltypes import UTCDateTime

from adapters.clock import ManualClock
from bot.kernel.model import NewPairing, NewSeat, PairingKind, SeatRole
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.old_schema import at_revision_with_ada, migrate
from tests.support.settings import START
from tests.support.storage_people import HERE

LATER = START + timedelta(days=10)
MAYA = (
    "INSERT INTO members (platform, workspace_id, user_id, display_name, is_moderator, role,"
    " subjects, languages, hours, bio, public_kudos, listed, created_at, updated_at) VALUES"
    " ('slack', 'T1', 'maya', 'Maya', false, 'mentor', '[]', '[]', '', '', true, true, :now, :now)"
)
OLD_PAIRING = (
    "INSERT INTO pairings (platform, workspace_id, kind, created_at) VALUES"
    " ('slack', 'T1', 'on-demand', :now)"
)
OLD_SEATS = (
    "INSERT INTO pairing_seats (pairing_id, member_id, role, reasons, open_on_demand)"
    " SELECT pairings.id, members.id, CASE WHEN members.user_id = 'maya' THEN 'mentor' ELSE"
    " 'mentee' END, '', true FROM pairings, members"
)


async def test_an_old_pairing_is_never_noted_and_a_new_one_is_until_both_confirm(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await at_revision_with_ada(engine, "0011")
    async with engine.begin() as connection:
        for statement in (MAYA, OLD_PAIRING):
            await connection.execute(
                text(statement).bindparams(bindparam("now", type_=UTCDateTime())), {"now": START}
            )
        await connection.execute(text(OLD_SEATS))
    await upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    async with uows() as uow:
        circle = await uow.circles.get_by_name(HERE, "algebra")
        assert circle is not None
        assert circle.settings.agreement, "a circle made before agreements has them on"
        agreements = uow.agreements
        assert await agreements.unconfirmed(LATER, 10) == []
        ada, maya = (
            await uow.members.get(HERE.member("ada")),
            await uow.members.get(HERE.member("maya")),
        )
        assert ada is not None
        assert maya is not None
        seats = [NewSeat(maya, SeatRole.MENTOR), NewSeat(ada, SeatRole.MENTEE)]
        new = await uow.buddies.add_pairing(
            NewPairing(HERE, PairingKind.ROUND, seats, START + timedelta(days=1))
        )
        [waiting] = await agreements.unconfirmed(LATER, 10)
        assert waiting.id == new.id
        assert await agreements.confirm(new.id, ada.id, LATER)
        assert not await agreements.confirm(new.id, ada.id, LATER), "a second is refused"
        assert [p.id for p in await agreements.unconfirmed(LATER, 10)] == [new.id]
        assert await agreements.confirm(new.id, maya.id, LATER)
        assert await agreements.unconfirmed(LATER, 10) == []
        await uow.commit()
    async with engine.begin() as connection:
        await connection.run_sync(migrate, "downgrade", "0011")
    await upgrade(engine)
    await engine.dispose()
