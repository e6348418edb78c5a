"""The store for several hosts: entries in Redis (REDIS_URL), tags as Redis sets.

Keys: <prefix>:e:<hash> (entry blob, expiring with the entry), <prefix>:z:<tag> (sorted
set of entry hashes scored by their expiry), <prefix>:m:<name> (memo), <prefix>:epoch (a
counter bumped by every purge). Entries expire by themselves; every put to a tag first
removes the members whose entries have expired, so a busy tag ("home", "list") that is
never left alone long enough to expire still holds only live entries. Purges delete by key; nothing here ever flushes a database another site
or another program may share.
"""

from __future__ import annotations

import json
import math
import time

import redis

from xinwen.pagecache.entry import Entry, EntryError, entry_dumps, entry_loads
from xinwen.pagecache.store_disk import key_hash

__all__ = ["RedisStore"]


class RedisStore:
    def __init__(self, url: str, *, prefix: str, max_ttl: int):
        # Short timeouts: while Redis is unreachable every request renders (see wsgi.PageCache), quickly.
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2)
        self.prefix = prefix
        # Tag sets live as long as the longest-lived entry can, so a purge always finds its entries.
        self.tag_ttl = max_ttl + 60

    def _entry_key(self, name: str) -> str:
        return f"{self.prefix}:e:{name}"

    def _tag_key(self, tag: str) -> str:
        return f"{self.prefix}:z:{tag}"

    def get(self, key: str) -> Entry | None:
        blob = self.client.get(self._entry_key(key_hash(key)))
        if blob is None:
            return None
        try:
            return entry_loads(blob)
        except EntryError:
            return None

    def epoch(self) -> str:
        value = self.client.get(f"{self.prefix}:epoch")
        return value.decode() if value else ""

    def put(self, entry: Entry, *, epoch: str) -> bool:
        """Store `entry` unless a purge happened since `epoch` was read (before the page was rendered)."""
        name = key_hash(entry.key)
        now = time.time()
        ttl = max(1, math.ceil(entry.expires - now))
        pipe = self.client.pipeline(transaction=False)
        for tag in entry.tags:
            pipe.zremrangebyscore(self._tag_key(tag), "-inf", now)
            pipe.zadd(self._tag_key(tag), {name: entry.expires})
            pipe.expire(self._tag_key(tag), self.tag_ttl)
        pipe.set(self._entry_key(name), entry_dumps(entry), ex=ttl)
        pipe.get(f"{self.prefix}:epoch")
        *_, current = pipe.execute()
        # A purge that ran while the page was rendering or being written may have missed it.
        if (current.decode() if current else "") != epoch:
            self.client.delete(self._entry_key(name))
            return False
        return True

    def invalidate(self, tags) -> set[str]:
        """Drop every entry carrying any of `tags`; returns the hashes of the dropped entries."""
        tags = list(tags)
        self.client.incr(f"{self.prefix}:epoch")
        if not tags:
            return set()
        pipe = self.client.pipeline(transaction=False)
        for tag in tags:
            pipe.zrange(self._tag_key(tag), 0, -1)
        names = {member.decode() for members in pipe.execute() for member in members}
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.delete(self._entry_key(name))
        for tag in tags:
            pipe.delete(self._tag_key(tag))
        results = pipe.execute()
        return {name for name, deleted in zip(names, results, strict=False) if deleted}

    def purge_all(self) -> None:
        self.client.incr(f"{self.prefix}:epoch")
        # t:* are the tag sets of earlier versions, which expire by themselves too.
        for pattern in (f"{self.prefix}:e:*", f"{self.prefix}:z:*", f"{self.prefix}:t:*"):
            batch = []
            for key in self.client.scan_iter(match=pattern, count=500):
                batch.append(key)
                if len(batch) >= 500:
                    self.client.delete(*batch)
                    batch = []
            if batch:
                self.client.delete(*batch)

    def keys(self) -> set[str]:
        """Every stored key (reads each entry: for tests and the clear command, not for requests)."""
        found = set()
        for key in self.client.scan_iter(match=f"{self.prefix}:e:*", count=500):
            blob = self.client.get(key)
            if blob:
                try:
                    found.add(entry_loads(blob).key)
                except EntryError:
                    pass
        return found

    def memo_get(self, name: str):
        value = self.client.get(f"{self.prefix}:m:{name}")
        return json.loads(value) if value else None

    def memo_set(self, name: str, value) -> None:
        if value is None:
            self.client.delete(f"{self.prefix}:m:{name}")
        else:
            self.client.set(f"{self.prefix}:m:{name}", json.dumps(value))
