"""CPU per update of the bot's own code, without HTTP: a quick check between pipeline runs.

    .venv/bin/python -m bench.inproc [--backend sqlite|postgres] [--updates N] [--profile FILE]

The real dispatcher, pipeline, unit of work, database and sent ledger of `wiring.Container`
(as `bench.pipeline` runs them), and a bare aiogram echo dispatcher, both in this process,
with the Bot API replaced by a stub: each call's answer is made as the fake Telegram would
make it and parsed by aiogram as usual (JSON + pydantic), only the HTTP round trip is left
out (it costs either bot the same, about 0.6 ms per update on this machine). Updates are fed
as polling feeds them (parsed, in "claim" mode), one per chat at a time, all chats at once,
in the mix of `bench.pipeline`. Reported: process CPU per update (the database server's CPU
is not in it) and the figures the pipeline benchmark would need for its target.

Not a target of its own (the target is the pipeline's ratio, see RESULTS.md); use it to see
whether a change to the hot path helps before the slower, noisier pipeline run.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import itertools
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import Message, Update

from bench.pipeline import BOT_USERNAME, TOKEN, WIDE_OPEN, fresh_database, link_participants
from bench.pipeline import make_plan as pipeline_plan
from wzt_bot.config import Settings
from wzt_bot.logging_setup import configure_logging
from wzt_bot.wiring import Container

BOT_ID = int(TOKEN.split(":")[0])


class StubApi:
    """Answers Bot API calls as the fake Telegram does, without the network."""

    def __init__(self) -> None:
        self.message_ids = itertools.count(1)
        self.calls = 0

    def install(self, bot: Bot) -> None:
        session = bot.session
        assert isinstance(session, AiohttpSession)

        async def make_request(
            bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
        ) -> Any:
            self.calls += 1
            content = json.dumps({"ok": True, "result": self.result(method)})
            response = session.check_response(bot, method, status_code=200, content=content)
            return response.result

        session.make_request = make_request  # type: ignore[method-assign]

    def result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage):
            return {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": {"id": method.chat_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "wzt"},
                "text": method.text,
            }
        if method.__api_method__ == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "wzt", "username": BOT_USERNAME}
        return True


def updates_for(plan: dict[int, list[str]], first_id: int, bot: Bot) -> list[list[Update]]:
    """Rounds of updates: in each round one message from every chat that has one left,
    mounted on `bot` as getUpdates mounts them (else aiogram re-parses each one)."""
    ids = itertools.count(first_id)
    rounds: list[list[Update]] = []
    for step in range(max(len(texts) for texts in plan.values())):
        batch = []
        for chat, texts in plan.items():
            if step < len(texts):
                update_id = next(ids)
                batch.append(
                    Update.model_validate(
                        {
                            "update_id": update_id,
                            "message": {
                                "message_id": update_id,
                                "date": int(time.time()),
                                "chat": {"id": chat, "type": "private", "first_name": "D"},
                                "from": {
                                    "id": chat,
                                    "is_bot": False,
                                    "first_name": "D",
                                    "language_code": "nl",
                                },
                                "text": texts[step],
                            },
                        },
                        context={"bot": bot},
                    )
                )
        rounds.append(batch)
    return rounds


Feed = Callable[[Update], Awaitable[object]]


async def cpu_per_update(feed: Feed, rounds: list[list[Update]], profile: Path | None) -> float:
    """Process CPU seconds per update for feeding `rounds`, one round after the other."""
    count = sum(len(batch) for batch in rounds)
    gc.collect()
    profiler = cProfile.Profile() if profile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    for batch in rounds:
        await asyncio.gather(*(feed(update) for update in batch))
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    return (time.process_time() - started) / count


async def echo_cost(plan: dict[int, list[str]], warm_plan: dict[int, list[str]]) -> float:
    stub = StubApi()
    bot = Bot(TOKEN, session=AiohttpSession())
    warmup, rounds = updates_for(warm_plan, 1, bot), updates_for(plan, 1_000_000, bot)
    stub.install(bot)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    async def feed(update: Update) -> object:
        return await dp.feed_update(bot, update)

    await cpu_per_update(feed, warmup, None)
    cost = await cpu_per_update(feed, rounds, None)
    await bot.session.close()
    return cost


async def wzt_cost(
    backend: str, plan: dict[int, list[str]], warm_plan: dict[int, list[str]], profile: Path | None
) -> tuple[float, int]:
    async with fresh_database(backend) as url:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=url,
            secret_key="bench-" + secrets.token_urlsafe(40),
            bot_token=TOKEN,
            telegram_api_url="http://127.0.0.1:9/never",
            bot_username=BOT_USERNAME,
            telegram_global_rate=WIDE_OPEN,
            telegram_chat_rate=WIDE_OPEN,
            telegram_chat_burst=WIDE_OPEN,
        )
        async with Container.open(settings) as container:
            await link_participants(container, list(plan))
            pipeline = container.build_bot()
            assert container.bot is not None
            stub = StubApi()
            stub.install(container.bot)
            warmup = updates_for(warm_plan, 1, container.bot)
            rounds = updates_for(plan, 1_000_000, container.bot)
            if container.sent_ledger is not None:
                await container.sent_ledger.warm_up()

            async def feed(update: Update) -> object:
                return await pipeline.handle(update.update_id, update, "{}", "claim")

            await cpu_per_update(feed, warmup, None)
            stub.calls = 0
            cost = await cpu_per_update(feed, rounds, profile)
            return cost, stub.calls


async def main_async(args: argparse.Namespace) -> int:
    configure_logging("WARNING")
    plan = pipeline_plan(args.chats, args.updates, args.seed)
    warm_plan = pipeline_plan(args.chats, max(args.chats, args.updates // 5), args.seed + 1)
    count = sum(len(texts) for texts in plan.values())
    echo = await echo_cost(plan, warm_plan)
    print(f"echo: {echo * 1e3:.3f} ms CPU per update")
    for backend in args.backends.split(","):
        results = []
        for i in range(args.repeat):
            profile = (
                args.profile.with_name(f"{args.profile.name}-{backend}.pstats")
                if (args.profile and i == 0)
                else None
            )
            cost, calls = await wzt_cost(backend, plan, warm_plan, profile)
            results.append(cost)
        best = min(results)
        http = args.http_ms / 1e3
        ratio = (echo + http) / (best + http)
        print(
            f"wzt [{backend}]: {best * 1e3:.3f} ms CPU per update "
            f"(runs: {', '.join(f'{r * 1e3:.3f}' for r in results)}; "
            f"Bot API calls per update {calls / count:.2f}); "
            f"with {args.http_ms} ms of HTTP each, the pipeline ratio would be about {ratio:.0%}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inproc", description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--http-ms", type=float, default=0.6, help="HTTP cost per update assumed for the ratio"
    )
    parser.add_argument("--profile", type=Path, default=None, metavar="FILE")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
