"""Writes to the lexicons: import from plain text, word edits. The admin and the commands call these."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from xinwen.guard.lexicon import ACTION_LABELS, Section, format_text, parse_text
from xinwen.guard.models import Lexicon, LexiconWord

__all__ = ["ImportSummary", "lexicon_import", "lexicon_export", "lexicon_save", "person_save", "person_delete", "linkcheck_store", "guard_run_start", "guard_run_progress", "guard_run_finish", "guard_findings_alerted", "MANUAL_SLOT", "check_overrides_replace"]


@dataclass(frozen=True)
class ImportSummary:
    lexicon: str
    added: int
    removed: int
    total: int


def _name_for(base: str, section: Section, many: bool) -> str:
    return f"{base}（{section.category}·{ACTION_LABELS[section.action]}）" if many else base


@transaction.atomic
def lexicon_import(*, name: str, text: str, category: str = "自定义", action: str = "confirm", replace: bool = False) -> list[ImportSummary]:
    """Words from a lexicon text into the lexicon `name`, created when missing; idempotent.

    A text with several sections (different categories or actions) fills one lexicon per
    section, named `name（分类·处理）`. `replace` removes the words the text no longer lists.
    Raises LexiconFormatError before writing anything when the text is malformed.
    """
    name = (name or "").strip()
    if not name:
        raise ValueError("请填写词库名称。")
    existing = Lexicon.objects.filter(name=name).first()
    if existing is not None:
        category, action = existing.category, existing.action
    sections = parse_text(text, category=category, action=action)
    kinds = {(s.category, s.action) for s in sections}
    merged: dict[tuple[str, str], list[str]] = {}
    for section in sections:
        merged.setdefault((section.category, section.action), []).extend(section.words)
    summaries = []
    for (section_category, section_action), words in merged.items():
        lexicon_name = _name_for(name, Section(section_category, section_action), len(kinds) > 1)
        lexicon, _ = Lexicon.objects.get_or_create(
            name=lexicon_name, defaults={"category": section_category, "action": section_action}
        )
        have = set(lexicon.words.values_list("word", flat=True))
        wanted = list(dict.fromkeys(words))
        LexiconWord.objects.bulk_create([LexiconWord(lexicon=lexicon, word=w) for w in wanted if w not in have])
        removed = 0
        if replace:
            removed, _ = lexicon.words.exclude(word__in=wanted).delete()
        lexicon.save(update_fields=["updated_at"])  # the matchers of every process rebuild on the new stamp
        summaries.append(ImportSummary(lexicon_name, len(set(wanted) - have), removed, lexicon.words.count()))
    return summaries


def lexicon_export(*, lexicons) -> str:
    """The lexicons as one text that `lexicon_import` reads back."""
    parts = []
    for lexicon in lexicons:
        section = Section(lexicon.category, lexicon.action, list(lexicon.words.values_list("word", flat=True)))
        parts.append(format_text([section], title=f"词库：{lexicon.name}"))
    return "\n".join(parts)


@transaction.atomic
def lexicon_save(*, lexicon: Lexicon) -> Lexicon:
    """Save a lexicon's settings; its new updated_at makes every process rebuild its matcher."""
    lexicon.save()
    return lexicon


@transaction.atomic
def person_save(*, person) -> object:
    """Save one row of the people list; its new updated_at makes every process rebuild its checker."""
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_delete(*, person) -> None:
    person.delete()


@transaction.atomic
def check_overrides_replace(*, rows) -> int:
    """Make the sections' settings for the 错别字 and 人名职务 checks exactly `rows` ((kind, category, action) each).

    Raises ValueError, before writing anything, when a section is listed twice for one check.
    Returns the number of settings kept.
    """
    from xinwen.guard.models import CheckOverride

    wanted: dict[tuple[str, int], str] = {}
    for kind, category, action in rows:
        if (kind, category.pk) in wanted:
            raise ValueError(f"栏目「{category}」的「{dict(CheckOverride.KIND_CHOICES)[kind]}」设置了两次，请只保留一行。")
        wanted[(kind, category.pk)] = action
    kept = []
    for (kind, category_id), action in wanted.items():
        row, _ = CheckOverride.objects.update_or_create(kind=kind, category_id=category_id, defaults={"action": action})
        kept.append(row.pk)
    CheckOverride.objects.exclude(pk__in=kept).delete()
    return len(kept)


@transaction.atomic
def linkcheck_store(*, links: dict, results: list, now) -> int:
    """Record each link's result for every article that carries it; forget links no article carries any more.

    Returns the number of broken (article, link) pairs.
    """
    from xinwen.guard.models import LinkCheck

    by_url = {result.url: result for result in results}
    kept = []
    broken = 0
    for url, article_ids in links.items():
        result = by_url.get(url)
        if result is None:
            continue
        for article_id in article_ids:
            row, _ = LinkCheck.objects.update_or_create(
                article_id=article_id,
                url=url,
                defaults={"status": result.status, "error": result.error, "broken": result.broken, "skipped": result.skipped, "checked_at": now},
            )
            kept.append(row.pk)
            broken += result.broken
    LinkCheck.objects.exclude(pk__in=kept).delete()
    return broken


# --- the hijack guard's history (网站安全) ---------------------------------------------


def _fingerprint(problem) -> str:
    # The profile list is left out: "全部" one run and "desktop,phone" the next is the same finding.
    import hashlib

    return hashlib.sha256(f"{problem.url}\n{problem.kind}\n{problem.evidence}".encode()).hexdigest()


# A pass started from 网站安全 holds this slot while it runs: the unique column lets one run at a
# time in every process and host, and guard_run_finish gives the slot back.
MANUAL_SLOT = -1
STALE_AFTER_HOURS = 2  # a manual pass whose process died is given up after this long


def guard_run_start(*, base_url: str, trigger: str = "manual", slot: int | None = None, now=None):
    """Record that a pass begins; None when its slot is taken (a scheduled slot another process runs, or a manual pass running)."""
    from datetime import timedelta

    from django.db import IntegrityError
    from django.utils import timezone

    from xinwen.guard.models import GuardRun

    if slot == MANUAL_SLOT:
        GuardRun.objects.filter(slot=MANUAL_SLOT, started_at__lt=(now or timezone.now()) - timedelta(hours=STALE_AFTER_HOURS)).update(
            slot=None, outcome=GuardRun.Outcome.FAILED, finished_at=now or timezone.now(), error="检查中断（进程已退出）"
        )
    try:
        with transaction.atomic():
            return GuardRun.objects.create(started_at=now or timezone.now(), base_url=base_url[:200], trigger=trigger, slot=slot)
    except IntegrityError:
        return None


def guard_run_progress(*, run, done: int, total: int) -> None:
    """Record how many pages of a running pass are done (one UPDATE; the run row is otherwise untouched)."""
    from xinwen.guard.models import GuardRun

    from django.db import DatabaseError

    run.pages, run.pages_total = done, total
    try:
        GuardRun.objects.filter(pk=run.pk).update(pages=done, pages_total=total)
    except DatabaseError:  # progress is a courtesy: a busy database must not stop the pass
        pass


@transaction.atomic
def guard_run_finish(*, run, report=None, error: str = "", now=None) -> list:
    """Close the run with its figures, and keep one finding per fingerprint.

    Returns the findings to alert about: new ones, ones that had gone away and are
    back, and ones whose alert could not be delivered yet. A finding still present from the last run is not alerted again; one whose
    evidence changed has a new fingerprint and is. Findings this run did not see are
    marked resolved (only when the run completed: a failed run proves nothing).
    """
    from django.utils import timezone

    from xinwen.guard.models import GuardFinding, GuardRun

    now = now or timezone.now()
    run.finished_at = now
    if run.slot == MANUAL_SLOT:
        run.slot = None
    to_alert = []
    if report is None:
        run.outcome, run.error = GuardRun.Outcome.FAILED, error[:300]
        run.save()
        return []
    seen, new = set(), 0
    for problem in report.problems:
        fingerprint = _fingerprint(problem)
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        finding = GuardFinding.objects.select_for_update().filter(fingerprint=fingerprint).first()
        if finding is None:
            finding = GuardFinding(fingerprint=fingerprint, first_run=run, first_seen=now)
        back = finding.pk is None or finding.resolved_at is not None
        unalerted = back or finding.alerted_at is None  # a failed delivery is retried by the next pass
        finding.url, finding.profile, finding.kind, finding.evidence = problem.url[:2000], problem.profile[:100], problem.kind, problem.evidence
        finding.last_run, finding.last_seen, finding.resolved_at = run, now, None
        if back:
            finding.alerted_at = None
        finding.save()
        new += back
        if unalerted:
            to_alert.append(finding)
    GuardFinding.objects.filter(resolved_at__isnull=True).exclude(fingerprint__in=seen).update(resolved_at=now)
    run.outcome = GuardRun.Outcome.FOUND if seen else GuardRun.Outcome.CLEAN
    run.pages, run.requests, run.problems, run.new_problems = report.pages, report.requests, len(seen), new
    run.save()
    return to_alert


def guard_findings_alerted(*, findings, now=None) -> None:
    from django.utils import timezone

    from xinwen.guard.models import GuardFinding

    GuardFinding.objects.filter(pk__in=[f.pk for f in findings]).update(alerted_at=now or timezone.now())
