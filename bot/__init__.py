"""briefbot: a Telegram bot that briefs people on US-Kazakhstan relations."""
