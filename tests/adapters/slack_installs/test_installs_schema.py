"""Our migrated installation tables are slack-sdk's: an upgrade of slack-sdk that changes its
tables fails here, before its stores write columns our database does not have."""

from __future__ import annotations

from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, inspect

from storage.database import create_engine, upgrade
from storage.slack_installs.tables import TOKEN_COLUMNS, TOKEN_LENGTH


def slack_sdk_tables() -> list[Table]:
    metadata = MetaData()
    return [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    ]


def reflected(connection: Any) -> dict[str, Any]:
    found = inspect(connection)
    return {
        table: (found.get_columns(table), found.get_indexes(table))
        for table in ("slack_installations", "slack_bots", "slack_oauth_states")
    }


async def test_the_migrated_tables_have_slack_sdks_columns_and_indexes(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.connect() as connection:
        ours = await connection.run_sync(reflected)
    await engine.dispose()
    for table in slack_sdk_tables():
        columns, indexes = ours[table.name]
        by_name = {c["name"]: c for c in columns}
        assert list(by_name) == [c.name for c in table.columns], table.name
        for column in table.columns:
            mine = by_name[column.name]
            where = f"{table.name}.{column.name}"
            assert mine["type"].python_type is column.type.python_type, where
            assert mine["nullable"] == (column.nullable and not column.primary_key), where
            length = getattr(column.type, "length", None)
            if column.name in TOKEN_COLUMNS:
                assert mine["type"].length == TOKEN_LENGTH > (length or 0), where
            else:
                assert getattr(mine["type"], "length", None) == length, where
        wanted = {i.name: [c.name for c in i.columns] for i in table.indexes}
        assert {i["name"]: i["column_names"] for i in indexes} == wanted, table.name
