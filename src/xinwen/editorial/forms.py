"""Admin forms: uploads are checked and re-encoded before they reach storage."""

import os

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile

from xinwen.editorial.sections import writable_categories
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article, Attachment, Category, GalleryImage
from xinwen.news.services import MAX_ALSO_IN, article_also_in_check, gallery_is_live, tag_names_parse
from xinwen.news.tree import CategoryTree
from xinwen.news.uploads import clean_attachment, clean_captions, clean_image, clean_video

__all__ = ["ArticleAdminForm", "AttachmentForm", "GalleryImageForm", "GalleryImageFormSet", "ImageUploadForm"]


class ArticleAdminForm(forms.ModelForm):
    source_url = forms.URLField(label="来源网址", required=False, assume_scheme="https", max_length=200)
    external_url = forms.URLField(
        label="外链网址",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text="填写后本文为外链文章（转载）：列表直接链接到该网址，请在“来源”中写明原网站。",
    )

    def clean_external_url(self) -> str:
        url = self.cleaned_data.get("external_url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("外链网址必须以 http:// 或 https:// 开头。")
        return url

    tag_names = forms.CharField(
        label="标签",
        required=False,
        max_length=400,
        help_text="多个标签用逗号、顿号或空格分隔，如：数字化，安全生产。新标签保存时自动创建。",
    )

    # Shown when 站点设置 allows cross-listing (ArticleAdmin.get_fieldsets); saved by article_also_in_set.
    also_in_sections = forms.ModelMultipleChoiceField(
        label="同时发布到",
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"可选，最多 {MAX_ALSO_IN} 个其他栏目：文章也出现在这些栏目的列表和订阅中。面包屑导航和网址仍按上面的“栏目”。",
    )
    user = None  # the request's user: ArticleAdmin.get_form makes a subclass that sets it

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            # A 200-character Chinese title does not fit an input; clean_title joins the lines again.
            "title": forms.Textarea(attrs={"rows": 2, "class": "xw-title"}),
            "subtitle": forms.TextInput(attrs={"class": "xw-wide"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].required = False  # a form posted without it (older scripts) keeps the article a 文章
        if self.instance.pk and "tag_names" in self.fields:
            self.fields["tag_names"].initial = "，".join(self.instance.tags.order_by("name").values_list("name", flat=True))
        if "also_in_sections" in self.fields:
            self._offer_sections(self.fields["also_in_sections"])

    def _offer_sections(self, field) -> None:
        """The sections this user may write in, plus those already chosen (kept unless unticked)."""
        chosen = list(self.instance.also_in.values_list("pk", flat=True)) if self.instance.pk else []
        offered = writable_categories(self.user, Category.objects.all()) if self.user is not None else Category.objects.none()
        field.queryset = Category.objects.filter(pk__in={*offered.values_list("pk", flat=True), *chosen}).order_by("order", "pk")
        paths = CategoryTree.load().path_names()
        field.label_from_instance = lambda category: paths.get(category.pk, category.name)
        field.initial = chosen

    def clean_also_in_sections(self) -> list[Category]:
        sections = self.cleaned_data.get("also_in_sections") or []
        try:
            article_also_in_check(article=self.instance, category_ids=[c.pk for c in sections], user=self.user)
        except (WorkflowError, PermissionDenied) as exc:
            raise forms.ValidationError(str(exc)) from None
        return list(sections)

    def clean_tag_names(self) -> list[str]:
        try:
            return tag_names_parse(self.cleaned_data.get("tag_names", ""))
        except WorkflowError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind or Article.Kind.ARTICLE

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return clean_image(cover)
        return cover

    def clean_video_poster(self):
        poster = self.cleaned_data.get("video_poster")
        return clean_image(poster) if isinstance(poster, UploadedFile) else poster

    def clean_video(self):
        video = self.cleaned_data.get("video")
        return clean_video(video) if isinstance(video, UploadedFile) else video

    def clean_video_captions(self):
        captions = self.cleaned_data.get("video_captions")
        return clean_captions(captions) if isinstance(captions, UploadedFile) else captions

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("标题不能为空。")
        return title


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file", "order"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            # The stored name is random, so keep the name the editor knows as the title.
            if not self.cleaned_data.get("title"):
                self.cleaned_data["title"] = os.path.basename(upload.name)[:200]
            return clean_attachment(upload)
        return upload


class GalleryImageForm(forms.ModelForm):
    """One picture of a 图集: the editor is asked for its alt text on upload (the write path insists at publish)."""

    class Meta:
        model = GalleryImage
        fields = ["image", "alt", "caption", "order"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alt"].required = True
        self.fields["alt"].error_messages["required"] = "请填写替代文字：为看不到图片的读者描述图片内容。"

    def clean_image(self):
        image = self.cleaned_data.get("image")
        return clean_image(image) if isinstance(image, UploadedFile) else image


class GalleryImageFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not gallery_is_live(self.instance):
            return
        kept = [
            form for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]  # fmt: skip
        if not kept:
            raise forms.ValidationError("已发布的图集至少要保留一张图片；如需删除全部图片，请先撤回文章。")


class ImageUploadForm(forms.Form):
    image = forms.FileField()
    alt = forms.CharField(max_length=200, required=False)

    def clean_image(self):
        return clean_image(self.cleaned_data["image"])
