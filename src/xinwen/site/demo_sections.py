"""The demo's 三审 and 栏目权限: a three-level chain on 公司新闻 and 行业动态, and who holds which level.

- reporter: 作者 in 公司新闻 only (sees and writes nothing elsewhere);
- chushen: 初审 through the group 初审组, granted on 新闻中心 (so every section below it);
- fushen: 复审 on 新闻中心; zhongshen: 终审 and 发布 on 新闻中心.
One article of 行业动态 waits at 初审, so the queues are not empty on first sight.
Written through news.services like the rest of the demo; running it again changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from xinwen.news import services
from xinwen.news.grants import SectionGrant
from xinwen.news.models import Article, Category

__all__ = ["SECTION_ACCOUNTS", "demo_sections_load"]

R = SectionGrant.Role
CHAIN_SECTIONS = ["company", "industry"]
REVIEW_GROUP = "初审组"
# (username, description, [(category slug, role, level, through the group?)])
SECTION_ACCOUNTS = [
    ("reporter", "作者（仅“公司新闻”栏目）", [("company", R.AUTHOR, 0, False)]),
    ("chushen", "初审（初审组，新闻中心全部栏目）", [("news", R.REVIEW, 1, True)]),
    ("fushen", "复审（新闻中心全部栏目）", [("news", R.REVIEW, 2, False)]),
    ("zhongshen", "终审并发布（新闻中心全部栏目）", [("news", R.REVIEW, 3, False), ("news", R.PUBLISH, 0, False)]),
]
WAITING_TITLE = "智能装备产业联盟年会将于下月召开（待初审示例稿）"


@transaction.atomic
def demo_sections_load() -> None:
    """Chains, the review group, the grants and one waiting article (accounts must exist already)."""
    categories = {c.slug: c for c in Category.objects.filter(slug__in=[*CHAIN_SECTIONS, "news"])}
    for slug in CHAIN_SECTIONS:
        category = categories[slug]
        if category.review_levels is None:
            category.review_levels = 3
            services.category_save(category=category, user=services.OPERATOR, changed_fields=["review_levels"])
    group, _ = Group.objects.get_or_create(name=REVIEW_GROUP)
    users = get_user_model().objects.in_bulk([name for name, _d, _g in SECTION_ACCOUNTS], field_name="username")
    for username, _description, grants in SECTION_ACCOUNTS:
        user = users.get(username)
        if user is None:
            continue
        for slug, role, level, through_group in grants:
            holder = {"group": group} if through_group else {"user": user}
            if through_group:
                user.groups.add(group)
            if not SectionGrant.objects.filter(category=categories[slug], role=role, level=level, **holder).exists():
                grant = SectionGrant(category=categories[slug], role=role, level=level, **holder)
                services.section_grant_save(grant=grant, user=services.OPERATOR)
    if not Article.objects.filter(title=WAITING_TITLE).exists():
        article = Article(
            category=categories["industry"],
            title=WAITING_TITLE,
            summary="联盟年会将围绕智能产线、设备综合效率和工业软件展开交流。",
            body="<p>联盟秘书处介绍，本届年会将设主论坛和三个分论坛，围绕智能产线建设、设备综合效率提升和工业软件国产化展开交流。</p>",
            author="行业动态编辑组",
            source_name="本站",
        )
        services.article_save(article=article, user=services.OPERATOR)
        services.article_submit(article=article, user=services.OPERATOR)
