"""Benchmark: one chat floods the bot while another user asks one question.

One chat sends 5,000 messages, each of its replies taking 0.1 s at the Bot API stand-in; once
the bot has fetched them, another user asks. Prints how long fetching the flood took, how long
that user waited (from the question being available to getUpdates to its reply reaching the
stand-in) and how many flood messages were answered or dropped.

Run: python -m bench.fairness [--flood N] [--reply-seconds S]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import settings_from_env  # noqa: E402
from bot.telegram.app import build_application, initial_state  # noqa: E402
from tests.conftest import eventually  # noqa: E402
from tests.fake_api import TOKEN, FakeBotAPI, text_message  # noqa: E402

FLOOD, OTHER = 2001, 1001


async def run(api: FakeBotAPI, folder: Path, flood: int) -> tuple[float, float, int]:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
           "BRIEFBOT_BRIEFS_DIR": str(ROOT / "tests" / "fixtures" / "briefs"),
           "BRIEFBOT_DB": str(folder / "bench.db")}
    settings = settings_from_env(env, folder)
    app = build_application(settings, initial_state(settings))
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            pushed = time.monotonic()
            for n in range(flood):
                api.push("message", text_message(f"sanctions {n}", uid=FLOOD, message_id=n + 1))
            await eventually(lambda: api.pending_updates() == 0, 600)
            fetched = time.monotonic() - pushed
            asked = time.monotonic()
            api.push("message", text_message("csto", uid=OTHER))
            await eventually(lambda: bool(api.calls_to("sendMessage", OTHER)), 600)
            waited = api.calls_to("sendMessage", OTHER)[0].at - asked
            await eventually(lambda: not app.update_processor.current_concurrent_updates, 600)
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
    answered = [t for t in api.texts(FLOOD) if not t.startswith("You are sending faster")]
    return fetched, waited, len(answered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood", type=int, default=5000, help="messages the flooding chat sends")
    parser.add_argument("--reply-seconds", type=float, default=0.1,
                        help="how long each of the flood's replies takes at the stand-in")
    args = parser.parse_args()
    api = FakeBotAPI().start()

    def slow_flood(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and str(params.get("chat_id")) == str(FLOOD):
            time.sleep(args.reply_seconds)

    api.hook = slow_flood
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fetched, waited, answered = asyncio.run(run(api, Path(tmp), args.flood))
    finally:
        api.stop()
    print(f"{args.flood:,} messages from one chat ({args.reply_seconds:g} s a reply), then one "
          "question from another user:")
    print(f"  the flood fetched from getUpdates in {fetched:.2f} s")
    print(f"  then the other user's reply: {waited * 1000:.0f} ms")
    print(f"  flood messages answered: {answered:,}; dropped: {args.flood - answered:,}")


if __name__ == "__main__":
    main()
