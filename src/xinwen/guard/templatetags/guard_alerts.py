"""The 网站安全 entry on the back office's home page: open findings and the last pass."""

from django import template

from xinwen.guard.models import GuardFinding, GuardRun

register = template.Library()


@register.inclusion_tag("guard/alerts_box.html", takes_context=True)
def guard_alerts(context):
    user = context["request"].user
    if not user.has_perm("guard.view_guardfinding"):
        return {"show": False}
    return {
        "show": True,
        "open": GuardFinding.objects.filter(resolved_at__isnull=True).count(),
        "last": GuardRun.objects.exclude(outcome=GuardRun.Outcome.RUNNING).first(),
    }
