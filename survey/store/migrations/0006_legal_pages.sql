-- The texts of the pages a public body must have (Erklärung zur
-- Barrierefreiheit, Datenschutzhinweise, Impressum), per language, as staff
-- edited them. A page without a row shows the program's default text.
-- The body is plain text with a tiny markup (headings, lists, paragraphs)
-- that the program renders escaped: never HTML.
CREATE TABLE legal_pages (
    page       TEXT NOT NULL CHECK (page IN ('barrierefreiheit', 'datenschutz', 'impressum')),
    lang       TEXT NOT NULL CHECK (lang IN ('de', 'en')),
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (page, lang)
);
