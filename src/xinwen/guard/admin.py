"""词库 in the back office: words inline, import from a text file, export as text."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from xinwen.guard import services
from xinwen.guard.lexicon import ACTION_LABELS, CATEGORIES, LexiconFormatError
from xinwen.guard.models import CheckOverride, Lexicon, LexiconOverride, LexiconWord

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


class CheckOverrideForm(forms.ModelForm):
    class Meta:
        model = CheckOverride
        fields = ("kind", "category", "action")

    def validate_unique(self):
        pass  # the service reports a section listed twice, in words, before writing anything


class _CheckOverrideRows(forms.BaseModelFormSet):
    def validate_unique(self):
        pass  # as above: "栏目「…」的「错别字…」设置了两次" says more than a generic duplicate error


CheckOverrideFormSet = forms.modelformset_factory(CheckOverride, form=CheckOverrideForm, formset=_CheckOverrideRows, extra=1, can_delete=True)


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
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="guard_lexicon_import"),
            path("check-overrides/", self.admin_site.admin_view(self.check_overrides_view), name="guard_checkoverride_save"),
        ]
        return extra + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        # 栏目检查设置 for 错别字 and 人名职务 sits below the lexicons: the lexicons' own per-section rows are on each lexicon's page.
        formset = CheckOverrideFormSet(queryset=CheckOverride.objects.select_related("category"), prefix="checks")
        context = {"check_overrides": formset, "can_change_checks": self.has_change_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def check_overrides_view(self, request):
        """Save 栏目检查设置 (POST from the 词库 list): every row at once, through the service."""
        if request.method != "POST":
            return HttpResponse("请在词库页面提交栏目检查设置。", status=405, content_type="text/plain; charset=utf-8")
        if not self.has_change_permission(request):
            return HttpResponse("您没有修改检查设置的权限。", status=403, content_type="text/plain; charset=utf-8")
        formset = CheckOverrideFormSet(request.POST, queryset=CheckOverride.objects.all(), prefix="checks")
        if not formset.is_valid():
            problems = [f"第 {n} 行：{'；'.join(m for msgs in form.errors.values() for m in msgs)}" for n, form in enumerate(formset.forms, 1) if form.errors]
            problems += list(formset.non_form_errors())
            messages.error(request, "栏目检查设置没有保存：" + "；".join(problems or ["请检查填写的内容。"]))
            return HttpResponseRedirect(reverse("admin:guard_lexicon_changelist"))
        rows = [
            (form.cleaned_data["kind"], form.cleaned_data["category"], form.cleaned_data["action"])
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            kept = services.check_overrides_replace(rows=rows)
        except ValueError as exc:
            messages.error(request, f"栏目检查设置没有保存：{exc}")
        else:
            messages.success(request, f"栏目检查设置已保存：共 {kept} 条。")
        return HttpResponseRedirect(reverse("admin:guard_lexicon_changelist"))

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
