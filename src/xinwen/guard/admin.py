"""词库 in the back office: words inline, import from a text file, export as text."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from xinwen.guard import services
from xinwen.guard.lexicon import ACTION_LABELS, CATEGORIES, LexiconFormatError
from xinwen.guard.models import Lexicon, LexiconOverride, LexiconWord

# An uploaded word list larger than this is not a lexicon someone curates by hand.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class LexiconWordInline(admin.TabularInline):
    model = LexiconWord
    extra = 3
    fields = ("word",)


class LexiconOverrideInline(admin.TabularInline):
    """A section that treats this lexicon differently; its sub-sections follow unless they have their own row."""

    model = LexiconOverride
    extra = 0
    fields = ("category", "action")


class LexiconImportForm(forms.Form):
    name = forms.CharField(label="词库名称", max_length=60, help_text="已有的词库会加入新词；没有则新建。")
    category = forms.ChoiceField(label="分类", choices=[(c, c) for c in CATEGORIES], initial="自定义")
    action = forms.ChoiceField(label="处理方式", choices=list(ACTION_LABELS.items()), initial="confirm")
    file = forms.FileField(label="文本文件", required=False, help_text="UTF-8 纯文本，每行一个词；# 开头为注释；[分类 处理] 分节。")
    text = forms.CharField(label="或直接粘贴", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    replace = forms.BooleanField(label="删除文件中没有的词", required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_IMPORT_BYTES:
                raise forms.ValidationError("文件超过 2 MB，请拆分后导入。")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("文件不是 UTF-8 编码的纯文本，请另存为 UTF-8 后再导入。") from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传文件或粘贴词语。")
        return data


@admin.register(Lexicon)
class LexiconAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "action", "enabled", "word_count", "updated_at")
    list_filter = ("category", "action", "enabled")
    search_fields = ("name", "words__word")
    fields = ("name", "category", "action", "enabled", "description")
    inlines = [LexiconOverrideInline, LexiconWordInline]
    actions = ["export_selected"]
    change_list_template = "guard/lexicon_change_list.html"

    @admin.display(description="词数")
    def word_count(self, obj):
        return obj.words.count()

    def save_model(self, request, obj, form, change):
        services.lexicon_save(lexicon=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.lexicon_save(lexicon=form.instance)  # word edits move the stamp the matchers watch

    @admin.action(description="导出所选词库（纯文本）")
    def export_selected(self, request, queryset):
        response = HttpResponse(services.lexicon_export(lexicons=queryset), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lexicons.txt"'
        return response

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="guard_lexicon_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            return HttpResponse("您没有导入词库的权限。", status=403, content_type="text/plain; charset=utf-8")
        form = LexiconImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                summaries = services.lexicon_import(
                    name=data["name"], text=data["text"], category=data["category"], action=data["action"], replace=data["replace"]
                )
            except LexiconFormatError as exc:
                form.add_error(None, str(exc))
            else:
                for s in summaries:
                    messages.success(request, f"词库「{s.lexicon}」：新增 {s.added} 个词，删除 {s.removed} 个，共 {s.total} 个。")
                return HttpResponseRedirect(reverse("admin:guard_lexicon_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "title": "导入词库", "opts": self.model._meta}
        return TemplateResponse(request, "guard/lexicon_import.html", context, status=400 if request.method == "POST" else 200)
from xinwen.guard import admin_people  # noqa: E402,F401  人名职务
from xinwen.guard import admin_links  # noqa: E402,F401  死链报告
from xinwen.guard import admin_security  # noqa: E402,F401  网站安全
