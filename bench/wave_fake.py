"""The fake Telegram of the check-in wave benchmark, in a process of its own.

It enforces Telegram's flood limits (30 messages/s overall, 1 message/s per chat) with 429
answers and counts every accepted sendMessage per chat, with wall-clock times, so the parent
can count duplicates, misses and 429s from the receiving side.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any

from bench.proc import serve
from wzt_bot.sandbox.fake_telegram import FakeTelegram
from wzt_bot.sandbox.params import Params

JSON = dict[str, Any]


class WaveTelegram(FakeTelegram):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.delivered: Counter[int] = Counter()
        self.first = self.last = 0.0
        self.refused: Counter[str] = Counter()

    async def start(self) -> None:
        await super().start()
        if self._server is not None:  # no Nagle stalls (see bench/fake_proc.py)
            for listener in self._server.servers:
                for sock in listener.sockets:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def _dispatch(
        self, method_name: str, params: Params, via: str = "http"
    ) -> tuple[int, JSON]:
        status, body = await super()._dispatch(method_name, params, via)
        if method_name.lower() == "sendmessage":
            if status == 200 and body.get("ok"):
                now = time.time()
                self.first = self.first or now
                self.last = now
                self.delivered[int(body["result"]["chat"]["id"])] += 1
            else:
                self.refused[str(status)] += 1
        return status, body


async def _serve(conn: Connection, token: str) -> None:
    fake = WaveTelegram(
        bot_token=token,
        bot_username="wzt_wave_bot",
        enforce_rates=True,
        global_rate=30.0,
        global_burst=30,
        chat_rate=1.0,
        chat_burst=1,
    )
    await fake.start()

    async def users(chat_ids: list[int]) -> None:
        for chat_id in chat_ids:
            fake.create_user(chat_id, first_name=f"Deelnemer {chat_id}", language_code="nl")

    async def count(_: Any) -> int:
        return sum(fake.delivered.values())

    async def stats(chat_ids: list[int]) -> JSON:
        per_chat = [fake.delivered.get(c, 0) for c in chat_ids]
        return {
            "delivered": sum(per_chat),
            "missed": sum(1 for n in per_chat if n == 0),
            "duplicates": sum(n - 1 for n in per_chat if n > 1),
            "refused": dict(fake.refused),
            "rate_limited": len(fake._rate_limit_events),
            "first": fake.first,
            "last": fake.last,
        }

    async def stop(_: Any) -> None:
        await fake.stop()

    await serve(
        conn, {"users": users, "count": count, "stats": stats, "stop": stop}, ready=fake.base_url
    )


def wave_fake_main(conn: Connection, token: str) -> None:
    asyncio.run(_serve(conn, token))
