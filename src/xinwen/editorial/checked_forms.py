"""Forms for section names and glossary forms that ask the content checks before they validate.

The services refuse the same words (`news.content_checks.texts_enforce`); asking here
turns the refusal into a form error beside the field instead of a failed save.
"""

from __future__ import annotations

from django import forms

from xinwen.hanzi.models import GlossaryTerm
from xinwen.news.content_checks import ContentBlocked, category_texts, glossary_texts, texts_enforce
from xinwen.news.models import Category


class _CheckedForm(forms.ModelForm):
    what = ""

    def texts(self, instance):
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()  # the instance now carries the submitted values
        if not self.errors:
            try:
                texts_enforce(texts=self.texts(self.instance), what=self.what)
            except ContentBlocked as exc:
                self.add_error(None, str(exc))


class CategoryForm(_CheckedForm):
    what = "栏目"

    class Meta:
        model = Category
        fields = "__all__"

    def texts(self, instance):
        return category_texts(instance)


class GlossaryTermForm(_CheckedForm):
    what = "简繁词表条目"

    class Meta:
        model = GlossaryTerm
        fields = "__all__"

    def texts(self, instance):
        return glossary_texts(None, terms=[instance])
