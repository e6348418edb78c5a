"""Admin forms: uploads are checked and re-encoded before they reach storage."""

import os

from django import forms
from django.core.files.uploadedfile import UploadedFile

from xinwen.news.models import Article, Attachment
from xinwen.news.uploads import clean_attachment, clean_image

__all__ = ["ArticleAdminForm", "AttachmentForm", "ImageUploadForm"]


class ArticleAdminForm(forms.ModelForm):
    source_url = forms.URLField(label="来源网址", required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            # A 200-character Chinese title does not fit an input; clean_title joins the lines again.
            "title": forms.Textarea(attrs={"rows": 2, "class": "xw-title"}),
            "subtitle": forms.TextInput(attrs={"class": "xw-wide"}),
        }

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return clean_image(cover)
        return cover

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


class ImageUploadForm(forms.Form):
    image = forms.FileField()
    alt = forms.CharField(max_length=200, required=False)

    def clean_image(self):
        return clean_image(self.cleaned_data["image"])
