from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "xinwen.guard"
    label = "guard"
    verbose_name = "网站安全"

    def ready(self):
        from xinwen.guard import checks, links, wording
        from xinwen.news.content_checks import register_content_check

        # The write path asks every registered check before 提交审核 and 发布 (news/content_checks.py).
        register_content_check("guard: lexicons (built-in and the back office's)", checks.lexicon_check)
        register_content_check("guard: typos and misstatements (built-in confusion set)", wording.typo_check)
        register_content_check("guard: people and titles (the back office's list)", wording.people_check)
        register_content_check("guard: internal links lead to public pages", links.link_check)
