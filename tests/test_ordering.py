"""PerChatOrder: concurrent updates, each chat's strictly in arrival order."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.telegram.ordering import PerChatOrder, order_key
from tests.fake_api import text_message


def message_update(update_id: int, chat: int, text: str = "hi") -> Update:
    return Update.de_json({"update_id": update_id,
                           "message": text_message(text, uid=chat, message_id=update_id)}, None)


async def test_one_chat_in_order_many_chats_at_once() -> None:
    processor = PerChatOrder(limit=3)
    log: list[tuple[str, int, int]] = []
    running = 0
    most = 0

    async def handle(chat: int, n: int, delay: float) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        log.append(("start", chat, n))
        await asyncio.sleep(delay)
        log.append(("end", chat, n))
        running -= 1

    # chat 1's first update is slow: its second must still wait; chats 2..5 must not.
    plan = [(1, 1, 0.05), (1, 2, 0.0), (2, 1, 0.01), (3, 1, 0.01), (4, 1, 0.01), (5, 1, 0.01)]
    await asyncio.gather(*(
        processor.process_update(message_update(i, chat), handle(chat, n, delay))
        for i, (chat, n, delay) in enumerate(plan, 1)))
    events = [(kind, n) for kind, chat, n in log if chat == 1]
    assert events == [("start", 1), ("end", 1), ("start", 2), ("end", 2)]
    assert most == 3  # never over the limit, and other chats ran beside chat 1
    assert log.index(("end", 2, 1)) < log.index(("end", 1, 1))
    assert processor.waiting_chats == 0  # per-chat state is dropped once a chat is idle


async def test_updates_without_a_chat_use_the_user_or_run_unordered() -> None:
    inline = Update.de_json({"update_id": 1, "inline_query": {
        "id": "q", "from": {"id": 77, "is_bot": False, "first_name": "A"}, "query": "x",
        "offset": ""}}, None)
    assert order_key(inline) == 77
    assert order_key(message_update(2, 1001)) == 1001
    assert order_key(object()) is None
    processor = PerChatOrder(limit=2)
    done: list[int] = []

    async def work(n: int) -> None:
        done.append(n)

    await processor.process_update(object(), work(1))
    assert done == [1]


async def test_a_cancelled_waiting_update_is_closed_cleanly() -> None:
    processor = PerChatOrder(limit=1)
    started = asyncio.Event()

    async def slow() -> None:
        started.set()
        await asyncio.sleep(10)

    async def never() -> Any:  # cancelled before it runs: must not warn "never awaited"
        raise AssertionError("should not run")

    first = asyncio.ensure_future(processor.process_update(message_update(1, 5), slow()))
    await started.wait()
    second = asyncio.ensure_future(processor.process_update(message_update(2, 5), never()))
    await asyncio.sleep(0.01)
    for task in (second, first):
        task.cancel()
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert processor.waiting_chats == 0


def test_an_update_with_neither_chat_nor_user_is_unordered() -> None:
    bare = Update(update_id=3)  # e.g. a poll's state: no chat, no user
    assert bare.effective_chat is None and bare.effective_user is None
    assert order_key(bare) is None


async def test_an_update_arriving_while_the_chat_is_busy_still_waits_its_turn() -> None:
    processor = PerChatOrder(limit=4)
    log: list[str] = []
    gates = {n: asyncio.Event() for n in (1, 2)}

    async def handle(n: int) -> None:
        log.append(f"start {n}")
        if n in gates:
            await gates[n].wait()
        log.append(f"end {n}")

    first = asyncio.ensure_future(processor.process_update(message_update(1, 9), handle(1)))
    second = asyncio.ensure_future(processor.process_update(message_update(2, 9), handle(2)))
    await asyncio.sleep(0.01)
    gates[1].set()  # the first ends while the second is queued ...
    await first
    await asyncio.sleep(0.01)
    third = asyncio.ensure_future(processor.process_update(message_update(3, 9), handle(3)))
    await asyncio.sleep(0.01)  # ... and a third arrives while the second runs
    assert log == ["start 1", "end 1", "start 2"]
    gates[2].set()
    await asyncio.gather(second, third)
    assert log == ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]
    assert processor.waiting_chats == 0
