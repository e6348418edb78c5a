"""Search tables, and the full-text index of the database in use.

SQLite: a contentless FTS5 table filled by triggers on search_document, so the index
always holds exactly what the rows say (also after Django's flush, which deletes rows).
Every column derives from the stored text with replace(): see search/backends/sqlite.py.
Note for later migrations: on SQLite, Django alters a table by rebuilding it, which drops
its triggers; a migration that alters search_document must make them again, as they are
now: create_index of 0010_multi_piece_words (both tables, its word columns).

PostgreSQL: a tsvector column with a GIN index, filled by search/backends/postgres.py.
"""

from django.db import migrations, models

# Words: the stored form without the spaces between a word's characters, "|" as separator.
_TW = "replace(replace({r}.title, ' ', ''), '|', ' ') || ' ' || {r}.title_sub"
_W = "replace(replace({r}.extra || '|' || {r}.meta || '|' || {r}.body, ' ', ''), '|', ' ') || ' ' || {r}.text_sub"
# Characters: the stored form as it is; char(57344) (U+E000) keeps phrases inside one field.
_TC = "{r}.title"
_C = "{r}.extra || ' ' || char(57344) || ' ' || {r}.meta || ' ' || char(57344) || ' ' || {r}.body"
_CAT = "'c' || {r}.category_id"


def fts_statements(table: str, triggers: str, columns: dict[str, str]) -> list[str]:
    """An FTS5 table whose columns derive from search_document's row, and its three triggers.

    `columns` maps each column to its SQL over the row ({r}); this table's (sqlite_statements)
    and the title table's (0003_title_index) are made with it.
    """
    names = ", ".join(columns)

    def values(row: str) -> str:
        return ", ".join(expression.format(r=row) for expression in columns.values())

    insert = f"INSERT INTO {table}(rowid, {names}) VALUES (NEW.key, " + values("NEW") + ");"
    delete = f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', OLD.key, " + values("OLD") + ");"
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({names}, content='', columnsize=0, detail=full, "
        "tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {triggers}_ai AFTER INSERT ON search_document BEGIN {insert} END",
        f"CREATE TRIGGER {triggers}_ad AFTER DELETE ON search_document BEGIN {delete} END",
        f"CREATE TRIGGER {triggers}_au AFTER UPDATE ON search_document BEGIN {delete} {insert} END",
        # Documents already present (a re-run after the triggers were dropped) are indexed again.
        f"INSERT INTO {table}(rowid, {names}) SELECT key, " + values("search_document") + " FROM search_document",
    ]


def sqlite_statements(tw: str = _TW, w: str = _W) -> list[str]:
    """The table and its triggers, with these word columns (0010_multi_piece_words gives its own)."""
    return fts_statements("search_fts", "search_document", {"tw": tw, "w": w, "tc": _TC, "c": _C, "cat": _CAT})


SQLITE = sqlite_statements()
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    "ALTER TABLE search_document ADD COLUMN vec tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_document_vec ON search_document USING gin (vec)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_document_vec",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vec",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP + SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('article_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('key', models.BigIntegerField(unique=True)),
                ('category_id', models.BigIntegerField()),
                ('title_len', models.PositiveIntegerField(default=0)),
                ('extra_len', models.PositiveIntegerField(default=0)),
                ('meta_len', models.PositiveIntegerField(default=0)),
                ('body_len', models.PositiveIntegerField(default=0)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
                ('title', models.TextField(blank=True)),
                ('extra', models.TextField(blank=True)),
                ('meta', models.TextField(blank=True)),
                ('lead', models.TextField(blank=True)),
                ('title_sub', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('text_sub', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': '搜索索引条目',
                'verbose_name_plural': '搜索索引',
                'db_table': 'search_document',
            },
        ),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(help_text='本站专有名词，例如单位名称、人名、产品名称（“东方智联”“智联云”）。简体、繁体均可。', max_length=40, unique=True, verbose_name='词语')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='添加时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '搜索词典条目',
                'verbose_name_plural': '搜索词典',
                'ordering': ['term'],
            },
        ),
        migrations.RunPython(create_index, drop_index),
    ]
