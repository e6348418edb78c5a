"""The search form: a query, an optional section and an optional date range, all forgiving."""

from __future__ import annotations

from django import forms

from xinwen.news.models import Category

__all__ = ["SearchForm"]


class SearchForm(forms.Form):
    # No max_length: an over-long query is cut by query.parse_query (and the page says so), not refused.
    q = forms.CharField(required=False, strip=True)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), to_field_name="slug", required=False)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, data, *args, **kwargs):
        # The URL says from/to; the form's fields cannot be named "from".
        data = {"q": data.get("q", ""), "category": data.get("category", ""),
                "date_from": data.get("from", ""), "date_to": data.get("to", "")}  # fmt: skip
        super().__init__(data, *args, **kwargs)

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out (and reported by `problems`)."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in ("category", "date_from", "date_to")}
        if values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]:
            values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
        return values

    def problems(self) -> list[str]:
        """Names of the filters that were given but invalid."""
        return [name for name in ("category", "date_from", "date_to") if name in self.errors]
