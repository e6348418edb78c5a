"""Both stores keep entries whole, find them by tag, expire them and never keep one a purge raced."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import struct
import time

import brotli
import pytest

from xinwen.pagecache import store_disk
from xinwen.pagecache.entry import EntryError, entry_build, entry_dumps, entry_loads
from xinwen.pagecache.store_disk import key_hash

PAGE = ("<!doctype html><title>新闻</title>" + "深化国资央企与上海市合作 推动制造业发展座谈会在沪举行。" * 200).encode()


def make_entry(key="http://testserver/article/1/", *, tags=("article:1",), body=PAGE, ttl=60):
    now = time.time()
    return entry_build(
        key=key,
        status="200 OK",
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Language", "zh-Hans"), ("Set-Cookie", "x=1")],
        body=body,
        tags=tags,
        expires=now + ttl,
        now=now,
    )


def test_an_entry_carries_the_body_in_three_encodings_and_the_headers_that_matter():
    entry = entry_loads(entry_dumps(make_entry()))

    assert entry.bodies["identity"] == PAGE
    assert gzip.decompress(entry.bodies["gzip"]) == PAGE
    assert brotli.decompress(entry.bodies["br"]) == PAGE
    assert len(entry.bodies["br"]) < len(PAGE) / 5
    assert ("Content-Language", "zh-Hans") in entry.headers
    assert ("Vary", "Accept-Encoding") in entry.headers
    assert not any(name == "Set-Cookie" for name, _ in entry.headers)
    assert entry.key == "http://testserver/article/1/" and entry.tags == ["article:1"]


def test_the_etag_follows_the_body():
    assert make_entry().etag == make_entry(key="http://other/").etag
    assert make_entry().etag != make_entry(body=PAGE + b" ").etag


def test_an_entry_keeps_only_the_encodings_it_was_given_and_the_epoch_it_was_rendered_in():
    entry = make_entry()
    entry.bodies.pop("gzip")
    entry.epoch = "3f0c"
    loaded = entry_loads(entry_dumps(entry))

    assert set(loaded.bodies) == {"identity", "br"} and loaded.epoch == "3f0c"
    assert brotli.decompress(loaded.bodies["br"]) == PAGE


def _blob(header: dict, *bodies: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return b"XPC2" + struct.pack(">I", len(raw)) + raw + b"".join(bodies)


@pytest.mark.parametrize(
    "blob",
    [
        b"", b"XPC1", b"junk" * 20, entry_dumps(make_entry())[:-1],
        # An entry of the format that held all three bodies, read by this one.
        b"XPC1" + entry_dumps(make_entry())[4:],
        _blob({"k": "k", "n": [3]}, b"abc"),  # a list of lengths, as that format wrote
        _blob({"k": "k", "n": {"br": 3}}, b"abc"),  # no identity body
        _blob({"k": "k", "n": {"identity": 3, "zstd": 1}}, b"abcd"),  # an encoding this version does not serve
        _blob({"k": "k", "n": {"identity": -1}}, b""),
    ],
)  # fmt: skip
def test_a_damaged_blob_is_refused(blob):
    with pytest.raises(EntryError):
        entry_loads(blob)


def test_round_trip(store):
    entry = make_entry()
    assert store.get(entry.key) is None

    assert store.put(entry, epoch=store.epoch()) is True

    found = store.get(entry.key)
    assert found.bodies == entry.bodies and found.headers == entry.headers and found.etag == entry.etag
    assert store.keys() == {entry.key}


def test_a_new_version_replaces_the_one_a_reader_has_seen(store):
    old = make_entry(body=PAGE)
    store.put(old, epoch=store.epoch())
    assert store.get(old.key).bodies["identity"] == PAGE  # now also kept in this process's memory

    store.invalidate(["article:1"])
    assert store.get(old.key) is None
    new = make_entry(body=PAGE.replace("座谈会".encode(), "研讨会".encode()))
    store.put(new, epoch=store.epoch())
    assert store.get(old.key).bodies["identity"] == new.bodies["identity"]
    newer = make_entry(body=b"<p>v3</p>")
    store.put(newer, epoch=store.epoch())  # overwritten in place, without a purge in between
    assert store.get(old.key).bodies["identity"] == b"<p>v3</p>"


def test_invalidate_drops_exactly_the_entries_with_a_tag(store):
    one = make_entry("http://testserver/article/1/", tags=["article:1", "related:3"])
    two = make_entry("http://testserver/article/2/", tags=["article:2", "related:3"])
    home = make_entry("http://testserver/", tags=["home", "article:1"])
    for entry in (one, two, home):
        store.put(entry, epoch=store.epoch())

    store.invalidate(["article:1"])
    assert store.keys() == {two.key}

    store.invalidate(["related:3"])
    assert store.keys() == set()


def test_a_purge_during_rendering_keeps_the_page_out(store):
    epoch = store.epoch()  # read before rendering
    store.invalidate(["article:9"])  # an editor's change commits while the page renders

    assert store.put(make_entry(), epoch=epoch) is False
    assert store.get(make_entry().key) is None


def test_purge_all(store):
    for n in range(5):
        store.put(make_entry(f"http://testserver/article/{n}/", tags=[f"article:{n}"]), epoch=store.epoch())

    store.purge_all()

    assert store.keys() == set()
    store.put(make_entry(), epoch=store.epoch())  # and it keeps working afterwards
    assert store.keys() == {make_entry().key}


def test_memos(store):
    assert store.memo_get("placement-1") is None
    store.memo_set("placement-1", [3, "published", "2026-01-01T00:00:00+00:00", False])
    assert store.memo_get("placement-1") == [3, "published", "2026-01-01T00:00:00+00:00", False]
    store.memo_set("placement-1", None)
    assert store.memo_get("placement-1") is None


def test_redis_entries_expire_by_themselves(redis_store):
    entry = make_entry(ttl=60)
    redis_store.put(entry, epoch=redis_store.epoch())

    ttl = redis_store.client.ttl(f"{redis_store.prefix}:e:{key_hash(entry.key)}")
    assert 0 < ttl <= 60


# --- bounds: a cap on disk, expiry everywhere -------------------------------------------


def _disk_bytes(store) -> int:
    return sum(path.stat().st_size for path in store.entries.glob("*/*"))


def _tag_files(store) -> set[str]:
    return {f"{tag}/{name}" for tag, name in store.links()}


def test_a_disk_store_with_a_cap_stays_under_it(tmp_path):
    from xinwen.pagecache.store_disk import DiskStore

    one = len(entry_dumps(make_entry()))
    store = DiskStore(tmp_path / "pagecache", max_bytes=10 * one)
    for n in range(200):
        store.put(make_entry(f"http://testserver/article/{n}/", tags=(f"article:{n}",), ttl=60 + n), epoch=store.epoch())
        assert _disk_bytes(store) <= 10 * one

    kept = store.keys()
    # The sweep keeps the pages due last (the newest here) and forgets the tags of those it
    # dropped, once they are older than a store in progress could be.
    assert "http://testserver/article/199/" in kept
    assert "http://testserver/article/0/" not in kept
    assert len(kept) <= 10
    assert _tag_files(store) >= {f"article:{key.split('/')[-2]}/{key_hash(key)}" for key in kept}
    store.sweep(now=time.time() + store_disk.LINK_GRACE_SECONDS + 1)
    kept = store.keys()
    assert kept and _tag_files(store) == {f"article:{key.split('/')[-2]}/{key_hash(key)}" for key in kept}


def test_a_sweep_removes_expired_entries_and_their_tag_files(tmp_path):
    from xinwen.pagecache.store_disk import DiskStore

    store = DiskStore(tmp_path / "pagecache")
    store.put(make_entry("http://testserver/a/", tags=("list", "article:1"), ttl=1), epoch=store.epoch())
    store.put(make_entry("http://testserver/b/", tags=("list",), ttl=600), epoch=store.epoch())

    store.sweep(now=time.time() + 5)
    assert store.keys() == {"http://testserver/b/"}
    assert len(_tag_files(store)) == 3  # a's links may belong to a store of a/ in progress: kept a while

    store.sweep(now=time.time() + store_disk.LINK_GRACE_SECONDS + 1)
    assert _tag_files(store) == {f"list/{key_hash('http://testserver/b/')}"}


def test_a_disk_store_sweeps_now_and_then_without_being_asked(tmp_path, monkeypatch):
    from xinwen.pagecache import store_disk

    monkeypatch.setattr(store_disk, "SWEEP_SECONDS", 1)
    store = store_disk.DiskStore(tmp_path / "pagecache")
    store.put(make_entry("http://testserver/old/", ttl=1), epoch=store.epoch())
    store.put(make_entry("http://testserver/0/"), epoch=store.epoch())
    assert "http://testserver/old/" in store.keys()  # expired only in a second
    time.sleep(1.1)
    store.put(make_entry("http://testserver/1/"), epoch=store.epoch())

    assert store.keys() == {"http://testserver/0/", "http://testserver/1/"}


def test_puts_under_the_cap_do_not_walk_the_store(tmp_path, monkeypatch):
    """A sweep reads every entry's metadata: a crawler storing page after page must not pay for one every few puts."""
    from xinwen.pagecache import store_disk

    store = store_disk.DiskStore(tmp_path / "pagecache", max_bytes=1 << 30)
    store.put(make_entry("http://testserver/first/"), epoch=store.epoch())  # a process's first put sweeps
    walks = []
    scandir = os.scandir
    monkeypatch.setattr(store_disk.os, "scandir", lambda path: walks.append(path) or scandir(path))
    for n in range(600):
        store.put(make_entry(f"http://testserver/{n}/", tags=(f"article:{n}",)), epoch=store.epoch())

    assert walks == []
    assert len(store.keys()) == 601


def test_the_cap_counts_what_every_process_stored(tmp_path):
    """Two workers, each storing less than the cap and together more: the store still stays under it."""
    from xinwen.pagecache.store_disk import DiskStore

    one = len(entry_dumps(make_entry("http://testserver/article/0/", tags=("article:0",))))
    first, second = (DiskStore(tmp_path / "pagecache", max_bytes=20 * one) for _ in range(2))
    for n in range(30):  # 15 each, 30 in all
        worker = (first, second)[n % 2]
        worker.put(make_entry(f"http://testserver/article/{n}/", tags=(f"article:{n}",), ttl=60 + n), epoch=worker.epoch())

    assert _disk_bytes(first) <= 20 * one
    assert "http://testserver/article/29/" in first.keys()


def test_the_hit_path_finds_an_entry_stored_with_its_expiry_as_mtime(disk_store):
    entry = make_entry(ttl=120)
    disk_store.put(entry, epoch=disk_store.epoch())

    assert disk_store.get(entry.key).etag == entry.etag
    path = disk_store.entries / key_hash(entry.key)[:2] / key_hash(entry.key)
    assert abs(path.stat().st_mtime - entry.expires) < 1


def test_redis_tag_sets_hold_only_live_entries(redis_store):
    for n in range(50):
        redis_store.put(make_entry(f"http://testserver/{n}/", tags=("home",), ttl=1), epoch=redis_store.epoch())
    time.sleep(1.1)
    redis_store.put(make_entry("http://testserver/live/", tags=("home",)), epoch=redis_store.epoch())

    assert redis_store.client.zcard(redis_store._tag_key("home")) == 1
    assert redis_store.client.ttl(redis_store._tag_key("home")) > 0
    assert redis_store.invalidate(["home"]) == {key_hash("http://testserver/live/")}


def test_workers_share_the_links_and_a_purge_keeps_links_a_store_in_progress_wrote(tmp_path):
    from xinwen.pagecache.store_disk import DiskStore

    one, other = DiskStore(tmp_path / "pagecache"), DiskStore(tmp_path / "pagecache")  # two workers, one folder
    one.put(make_entry("http://testserver/a/", tags=("list:3", "article:1")), epoch=one.epoch())
    assert other.invalidate(["article:1"]) == {key_hash("http://testserver/a/")}
    assert one.get("http://testserver/a/") is None
    # The links stay: a store of the same page may have written them just before the purge,
    # its entry not yet. Stored again, the page is found by the next purge through them.
    one.put(make_entry("http://testserver/a/", tags=("list:3", "article:1")), epoch=one.epoch())
    assert other.invalidate(["list:3"]) == {key_hash("http://testserver/a/")}


def test_a_store_left_by_an_older_version_is_emptied_once(tmp_path):
    """Its links were files under tags/, which the index does not know: a purge could not find its pages."""
    from xinwen.pagecache.store_disk import DiskStore

    root = tmp_path / "pagecache"
    entry = make_entry("http://testserver/old/", tags=("home",))
    path = root / "entries" / key_hash(entry.key)[:2] / key_hash(entry.key)
    path.parent.mkdir(parents=True)
    path.write_bytes(entry_dumps(entry))
    (root / "tags" / "home").mkdir(parents=True)
    (root / "tags" / "home" / key_hash(entry.key)).touch()

    store = DiskStore(root)
    epoch = store.epoch()
    store.put(make_entry("http://testserver/new/", tags=("home",)), epoch=epoch)  # the first write of the new version
    assert not (root / "tags").exists()
    assert "http://testserver/old/" not in store.keys()
    assert store.epoch() != epoch  # and a page rendered before it is not stored
    fresh = store.epoch()
    assert store.put(make_entry("http://testserver/new/", tags=("home",)), epoch=fresh)
    assert store.invalidate(["home"]) == {key_hash("http://testserver/new/")}


_PURGE_ELSEWHERE = """
import sys
from xinwen.pagecache.store_disk import DiskStore
store = DiskStore(sys.argv[1])
if sys.argv[2] == "all":
    store.purge_all()
else:
    store.invalidate([sys.argv[2]])
"""


@pytest.mark.parametrize("how", ["article:1", "all"])
def test_a_purge_in_another_process_ends_the_copy_a_worker_keeps_in_memory(tmp_path, how):
    """A worker serves its busiest pages from memory; the server's other worker purges them."""
    import subprocess
    import sys

    store = store_disk.DiskStore(tmp_path / "pagecache")
    entry = make_entry()
    store.put(entry, epoch=store.epoch())
    assert store.get(entry.key) is not None and store.get(entry.key) is not None  # the second from memory

    subprocess.run([sys.executable, "-c", _PURGE_ELSEWHERE, str(tmp_path / "pagecache"), how], check=True)
    assert store.get(entry.key) is None


def test_between_purges_a_copy_in_memory_is_served_without_looking_at_its_file(disk_store, monkeypatch):
    entry, other = make_entry(), make_entry("http://testserver/article/2/", tags=["article:2"])
    disk_store.put(entry, epoch=disk_store.epoch())
    disk_store.put(other, epoch=disk_store.epoch())
    disk_store.get(entry.key)
    looked = []
    real_stat = store_disk.os.stat
    monkeypatch.setattr(store_disk.os, "stat", lambda path, *a, **k: ("/entries/" in str(path) and looked.append(path)) or real_stat(path, *a, **k))

    for _ in range(5):
        assert disk_store.get(entry.key).etag == entry.etag
    assert looked == []

    disk_store.invalidate(["article:2"])  # another page's purge: checked against the file once, then trusted again
    for _ in range(5):
        assert disk_store.get(entry.key).etag == entry.etag
    assert len(looked) == 1


def test_an_expired_copy_in_memory_is_checked_against_its_file(tmp_path):
    """Another worker rendered the page again when it expired: the new version is served, not the copy."""
    mine, theirs = store_disk.DiskStore(tmp_path / "pagecache"), store_disk.DiskStore(tmp_path / "pagecache")
    old = make_entry(body=b"<p>old</p>", ttl=0.3)
    mine.put(old, epoch=mine.epoch())
    assert mine.get(old.key).bodies["identity"] == b"<p>old</p>"
    time.sleep(0.4)
    theirs.put(make_entry(body=b"<p>new</p>"), epoch=theirs.epoch())

    assert mine.get(old.key).bodies["identity"] == b"<p>new</p>"


def test_without_the_shared_generation_every_hit_checks_the_file(tmp_path):
    (tmp_path / "pagecache" / "generation").mkdir(parents=True)  # cannot be mapped
    store, elsewhere = store_disk.DiskStore(tmp_path / "pagecache"), store_disk.DiskStore(tmp_path / "pagecache")
    entry = make_entry()
    store.put(entry, epoch=store.epoch())
    assert store.get(entry.key) is not None and store.get(entry.key) is not None

    elsewhere.invalidate(["article:1"])
    assert store.get(entry.key) is None


def test_a_page_cache_folder_deleted_by_hand_is_followed_within_a_second(tmp_path):
    root = tmp_path / "pagecache"
    store = store_disk.DiskStore(root)
    entry = make_entry()
    store.put(entry, epoch=store.epoch())
    assert store.get(entry.key) is not None and store.get(entry.key) is not None

    shutil.rmtree(root)  # the operator's `rm -rf var/pagecache` while the server runs
    elsewhere = store_disk.DiskStore(root)  # a worker started after it
    elsewhere.put(make_entry(body=b"<p>v2</p>"), epoch=elsewhere.epoch())
    elsewhere.invalidate(["article:1"])
    time.sleep(store_disk.GENERATION_RECHECK_SECONDS + 0.1)
    assert store.get(entry.key) is None
