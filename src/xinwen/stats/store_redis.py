"""Counting in Redis, flushed to the database in batches, exactly once.

A beacon is one Lua script run: rate limit, the article's cached public state and base
count, the reader's fingerprint, and HINCRBY of the article's pending total and its
pending count for the day. The database is read only when an article is not cached (at
most once a minute per article, and after an editor changes it). Nothing is held in an
app process, so killing one loses nothing.

A flush atomically renames the pending hashes to a numbered batch, adds the batch to
the database in one transaction that also records the batch id (FlushedBatch), and only
then, in one script, deletes the batch and adds it to the cached base counts. The count
a beacon answers (cached base + pending + batches in flight) is therefore exact at every
moment. A flusher that dies before its commit leaves the batch for the next flush; one
that dies after it leaves a batch the next flush recognises by its id and discards.

While Redis is unreachable, services.view_record counts in the database instead; counts
answered in the minute after it returns may then miss those views (stored ones do not).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import redis
from django.db import IntegrityError, transaction
from django.utils import timezone

from xinwen.stats.errors import ArticleNotFound, RateLimited
from xinwen.stats.models import FlushedBatch
from xinwen.stats.store_db import counts_apply

__all__ = ["RedisStore", "StoreUnavailable"]

StoreUnavailable = redis.RedisError
ARTICLE_TTL = 60  # seconds an article's public state may be cached (changes by editors evict it at once)

# Results of the beacon script.
COUNTED, NOT_COUNTED, LIMITED, UNKNOWN, NOT_PUBLIC = 1, 0, -1, -2, -3

# KEYS: 1 rate counter, 2 article info, 3 today's fingerprint, 4 pending totals, 5 pending daily counts,
#       6 batch index[, 7 yesterday's fingerprint]
# ARGV: 1 now (ms), 2 window (ms), 3 article id, 4 "<id>:<day>", 5 fingerprint TTL (s), 6 batch key prefix,
#       7 rate limit, 8 rate window (s), 9 count against the rate limit (1/0), 10 automated (1/0)
#       [, 11 base count, 12 public_from (ms): to use, uncached, when the article is not cached]
_BEACON = """
local now = tonumber(ARGV[1])
if ARGV[9] == '1' then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[8]) end
  if n > tonumber(ARGV[7]) then return {-1, 0} end
end
local info = redis.call('HMGET', KEYS[2], 'base', 'public_from')
if not info[1] then
  if not ARGV[11] then return {-2, 0} end
  info = {ARGV[11], ARGV[12]}
end
if now < tonumber(info[2]) then return {-3, 0} end
local function recent(key)
  local seen = redis.call('GET', key)
  return seen and (now - tonumber(seen)) < tonumber(ARGV[2])
end
local counted = 0
if ARGV[10] ~= '1' and not recent(KEYS[3]) and not (KEYS[7] and recent(KEYS[7])) then
  redis.call('SET', KEYS[3], now, 'EX', ARGV[5])
  redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
  redis.call('HINCRBY', KEYS[5], ARGV[4], 1)
  counted = 1
end
local views = tonumber(info[1]) + tonumber(redis.call('HGET', KEYS[4], ARGV[3]) or '0')
for _, batch in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
  views = views + tonumber(redis.call('HGET', ARGV[6] .. batch .. ':total', ARGV[3]) or '0')
end
return {counted, views}
"""

# Cache an article's base count and publish time as read from the database, unless a flush
# overlapped the read: one finished since (the generation moved), or one is in flight (its
# batch may or may not be in what was read, and would be added to the base when it ends).
# KEYS: article info, flush generation, batch index. ARGV: generation seen before the read, base,
#       public_from (ms), TTL (s)
_FILL = """
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
if redis.call('ZCARD', KEYS[3]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'base', ARGV[2], 'public_from', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""

# KEYS: pending totals, pending daily counts, batch index. ARGV: batch id, now (ms), batch key prefix
_CLAIM = """
local moved = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], ARGV[3] .. ARGV[1] .. ':total')
  moved = 1
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], ARGV[3] .. ARGV[1] .. ':daily')
  moved = 1
end
if moved == 1 then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1]) end
return moved
"""

# The batch is in the database now: drop it and move its counts into the cached base counts,
# or, for a batch a dead flusher wrote (it may have done that already), evict those articles.
# KEYS: batch index, the batch's totals, its daily counts, flush generation. ARGV: batch id, info key prefix,
#       1 to add to the cached bases / 0 to evict them
_FORGET = """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
local totals = redis.call('HGETALL', KEYS[2])
for i = 1, #totals, 2 do
  local info = ARGV[2] .. totals[i]
  if ARGV[3] ~= '1' then
    redis.call('DEL', info)
  elseif redis.call('EXISTS', info) == 1 then
    redis.call('HINCRBY', info, 'base', totals[i + 1])
  end
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('INCR', KEYS[4])
return 1
"""

Lookup = Callable[[], "tuple[int, int] | None"]


class RedisStore:
    name = "redis"
    unavailable = StoreUnavailable  # what the caller answers by counting in the database instead

    def __init__(self, url: str, prefix: str):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)
        self.prefix = prefix
        self.pending_total = f"{prefix}pending:total"
        self.pending_daily = f"{prefix}pending:daily"
        self.batches = f"{prefix}batches"
        self.batch_prefix = f"{prefix}batch:"
        self.info_prefix = f"{prefix}article:"
        self.generation = f"{prefix}flushes"
        self._beacon = self.client.register_script(_BEACON)
        self._fill = self.client.register_script(_FILL)
        self._claim = self.client.register_script(_CLAIM)
        self._forget_script = self.client.register_script(_FORGET)

    # --- counting -------------------------------------------------------------------
    def view(
        self,
        *,
        article_id: int,
        client: str,
        digests: list[str],
        day: date,
        now_ms: int,
        window: int,
        rate_limit: int,
        rate_window: int,
        automated: bool,
        lookup: Lookup,
    ) -> tuple[bool, int]:
        """Record one beacon; returns (counted, the article's count now). See services.view_record."""
        info = f"{self.info_prefix}{article_id}"
        keys = [
            f"{self.prefix}rate:{client}:{now_ms // (rate_window * 1000)}",
            info,
            f"{self.prefix}fp:{digests[0]}",
            self.pending_total,
            self.pending_daily,
            self.batches,
            *[f"{self.prefix}fp:{digest}" for digest in digests[1:2]],
        ]
        args = [now_ms, window * 1000, article_id, f"{article_id}:{day.isoformat()}", window + 60, self.batch_prefix,
                rate_limit, rate_window * 2, 1, int(automated)]  # fmt: skip
        status, views = self._beacon(keys=keys, args=args)
        if status == UNKNOWN:  # not cached: read it from the database (one query) and cache it
            args[8] = 0  # this beacon has already counted against the rate limit
            seen = self.client.get(self.generation) or b"0"
            found = lookup()
            if found is None:
                raise ArticleNotFound(article_id)
            base, public_from = found
            if not self._fill(keys=[info, self.generation, self.batches], args=[seen, base, public_from, ARTICLE_TTL]):
                # A flush overlapped the read; use it once, uncached. The count answered may then
                # include the batch in flight twice, for this one answer; what is stored is exact.
                args += [base, public_from]
            status, views = self._beacon(keys=keys, args=args)
        if status == LIMITED:
            raise RateLimited(retry_after=rate_window - (now_ms // 1000) % rate_window)
        if status == NOT_PUBLIC:
            raise ArticleNotFound(article_id)
        return status == COUNTED, int(views)

    def article_forget(self, article_id: int) -> None:
        """Drop the cached public state and base count of an article (after an editor changed it)."""
        self.client.delete(f"{self.info_prefix}{article_id}")

    # --- flushing -------------------------------------------------------------------
    def flush(self, *, now_ms: int) -> tuple[int, int]:
        """Move everything pending into the database; returns (views, batches) written.

        Also finishes batches left behind by flushers that died, and skips those another
        flusher is writing at this moment (the database's unique batch id decides).
        """
        batch = f"{now_ms}-{uuid.uuid4().hex[:12]}"
        self._claim(keys=[self.pending_total, self.pending_daily, self.batches], args=[batch, now_ms, self.batch_prefix])
        views = batches = 0
        for member in self.client.zrange(self.batches, 0, -1):
            written = self._apply(member.decode())
            if written is not None:
                views += written
                batches += 1
        return views, batches

    def _apply(self, batch: str) -> int | None:
        raw_totals = self.client.hgetall(f"{self.batch_prefix}{batch}:total")
        raw_daily = self.client.hgetall(f"{self.batch_prefix}{batch}:daily")
        totals = {int(article): int(views) for article, views in raw_totals.items()}
        daily: dict[tuple[int, date], int] = {}
        for field, views in raw_daily.items():
            article, _, day = field.decode().partition(":")
            daily[(int(article), date.fromisoformat(day))] = int(views)
        if FlushedBatch.objects.filter(batch=batch).exists():
            # Written by a flusher that died before cleaning up; the articles' cached counts
            # are evicted and reloaded from the database by the next beacon.
            self._forget(batch, add_to_bases=False)
            return None
        try:
            with transaction.atomic():
                # First, so that a second flusher of the same batch waits here and then fails.
                FlushedBatch.objects.create(batch=batch, flushed_at=timezone.now(), views=sum(totals.values()))
                counts_apply(totals, daily)
        except IntegrityError:
            if not FlushedBatch.objects.filter(batch=batch).exists():
                raise
            return None  # another flusher wrote it, and cleans up after itself
        self._forget(batch, add_to_bases=True)
        return sum(totals.values())

    def _forget(self, batch: str, *, add_to_bases: bool) -> None:
        self._forget_script(
            keys=[self.batches, f"{self.batch_prefix}{batch}:total", f"{self.batch_prefix}{batch}:daily", self.generation],
            args=[batch, self.info_prefix, int(add_to_bases)],
        )

    def purge(self, *, now_ms: int, window: int) -> int:
        """Fingerprints, rate counters and cached articles expire in Redis by themselves."""
        return 0

    def keys_delete(self) -> int:
        """Delete every key of this store (tests, and sites that reset their Redis namespace)."""
        deleted = 0
        for key in self.client.scan_iter(match=f"{self.prefix}*", count=500):
            deleted += self.client.delete(key)
        return deleted
