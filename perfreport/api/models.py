"""API tokens: how a program (Power BI, a service's own system) reads drafts
and writes values through the HTTP API on a member of staff's behalf.

Only a hash of each token is kept: the token itself is shown once, when it is
made, and cannot be read back from the database, the admin or a backup.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PREFIX_LENGTH = 8
# How stale "last used" may get: refreshing it on every request would add a
# write to every read.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """The SHA-256 of a token, as kept: a token is 256 random bits, so a fast
    hash is safe (no password-style stretching needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def issue(self, user: User, name: str) -> tuple[ApiToken, str]:
        """A new token for ``user``: the stored row and the secret, which is
        never kept and must be shown to the person now."""
        token = self.model(user=user, name=name)
        secret = token.new_secret()
        token.save(using=self.db)
        return token, secret

    def find(self, secret: str) -> ApiToken | None:
        """The live token whose secret this is: not revoked, its user active;
        marks it used."""
        if not secret:
            return None
        token = (
            self.select_related("user")
            .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is not None:
            token.mark_used()
        return token


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What uses it, to recognise it later: “Power BI refresh”."
    )
    key_hash = models.CharField("hash of the token", max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=PREFIX_LENGTH,
        editable=False,
        help_text="The token's first characters, to tell tokens apart.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="A revoked token is refused from then on."
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        db_table = "web_apitoken"  # made by the web app, where the model was first
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Make this token's secret (before it is first saved) and return it:
        only its hash and first characters are kept."""
        secret = secrets.token_urlsafe(32)
        self.key_hash = hash_secret(secret)
        self.prefix = secret[:PREFIX_LENGTH]
        return secret

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def mark_used(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
