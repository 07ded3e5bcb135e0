"""The full-text structures Django's models cannot declare, one per database, installed by a migration.

PostgreSQL: a stored `tsvector` generated from the analyzer's terms with the `simple` configuration
(titles weighted A, texts B) and its GIN index; `pg_trgm` and a trigram index on the folded titles.
SQLite: an FTS5 table over the same terms, kept in step with the entries by triggers, so that every
write of an entry (in the transaction of the audited change) updates it.
"""

POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')
    ) STORED""",
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING gin (vector)",
    # The titles alone, small enough to test every match for a title hit without reading its whole text.
    """ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', title_terms)
    ) STORED""",
    "CREATE INDEX IF NOT EXISTS search_entry_title_vector ON search_searchentry USING gin (title_vector)",
    # Texts and terms are read for the few entries shown, never to count or facet: kept out of the rows so
    # that a count reads a narrow table (157 MB -> 86 MB at 100,000 entries, a count of 21,000 matches 106 -> 78 ms).
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 128)",
    """ALTER TABLE search_searchentry ALTER COLUMN body_ar SET STORAGE EXTERNAL,
        ALTER COLUMN body_fr SET STORAGE EXTERNAL, ALTER COLUMN body_en SET STORAGE EXTERNAL,
        ALTER COLUMN body_terms SET STORAGE EXTERNAL, ALTER COLUMN title_terms SET STORAGE EXTERNAL""",
    "CREATE INDEX IF NOT EXISTS search_entry_title_trgm ON search_searchentry USING gin (title_folded gin_trgm_ops)",
)

SQLITE = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title_terms, body_terms, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms);
    END""",
)


def install(connection) -> None:
    """Create the database's full-text structures for the search entries (idempotent)."""
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(connection.vendor, ())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_migration(apps, schema_editor) -> None:
    install(schema_editor.connection)
