"""Real discord.Interaction objects for views, with Discord's callback endpoint recorded.

dpytest cannot click buttons, so tests call a view's handlers with the objects
discord.py would build from a gateway payload; only the HTTP callback is captured.
"""

from __future__ import annotations

import itertools

import discord
from discord.webhook.async_ import AsyncWebhookAdapter

_ids = itertools.count(900_000_000_000_000_000)


def record_responses(monkeypatch) -> list[dict]:
    """Capture interaction callbacks (the payload discord.py would POST)."""
    sent: list[dict] = []

    async def create_interaction_response(self, interaction_id, token, *, session, proxy=None,
                                          proxy_auth=None, params):
        sent.append(params.payload)
        return {"interaction": {"id": str(interaction_id), "type": 3}}

    monkeypatch.setattr(AsyncWebhookAdapter, "create_interaction_response", create_interaction_response)
    return sent


def button_click(bot, member: discord.Member, channel) -> discord.Interaction:
    """A component interaction from `member` in `channel`, as the gateway would deliver it."""
    payload = {
        "id": str(next(_ids)), "application_id": str(next(_ids)), "type": 3, "token": "token",
        "version": 1, "data": {"custom_id": "button", "component_type": 2},
        "channel_id": str(channel.id), "guild_id": str(channel.guild.id),
        "member": {
            "user": {"id": str(member.id), "username": member.name, "discriminator": "0001", "avatar": None},
            "roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False,
            "permissions": "0", "flags": 0,
        },
        "locale": "en-US", "guild_locale": "en-US", "app_permissions": "0", "entitlements": [],
        "authorizing_integration_owners": {}, "attachment_size_limit": 8_000_000,
    }
    return discord.Interaction(data=payload, state=bot._connection)
