/**
 * Versioned schema migrations, applied in order at start inside one transaction each. A migration,
 * once released, is never edited: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'org units, forms, versions, submissions',
    sql: `
CREATE TABLE org_units (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT,
  level TEXT NOT NULL CHECK (level IN ('county','township','village','group')),
  parent_id TEXT REFERENCES org_units(id),
  path TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX org_units_path ON org_units(path);
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE org_unit_groups (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT
);
CREATE TABLE org_unit_group_members (
  group_id TEXT NOT NULL REFERENCES org_unit_groups(id) ON DELETE CASCADE,
  org_unit_id TEXT NOT NULL REFERENCES org_units(id),
  PRIMARY KEY (group_id, org_unit_id)
);
CREATE INDEX org_unit_group_members_unit ON org_unit_group_members(org_unit_id);

CREATE TABLE forms (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('knowledge','satisfaction','census','general')),
  title_zh TEXT NOT NULL,
  title_en TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft','published','archived')),
  draft_json TEXT,
  draft_updated_at TEXT,
  latest_version INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE form_versions (
  form_id TEXT NOT NULL REFERENCES forms(id),
  version INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT,
  PRIMARY KEY (form_id, version)
);

CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  form_id TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  org_unit_id TEXT NOT NULL,
  org_unit_path TEXT NOT NULL,
  answers_json TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  started_at TEXT NOT NULL,
  completed_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  device_id TEXT,
  review_state TEXT NOT NULL DEFAULT 'received',
  FOREIGN KEY (form_id, form_version) REFERENCES form_versions(form_id, version)
);
CREATE INDEX submissions_form ON submissions(form_id, form_version);
CREATE INDEX submissions_org_path ON submissions(org_unit_path);
CREATE INDEX submissions_completed ON submissions(completed_at);
CREATE INDEX submissions_received ON submissions(received_at, id);
`,
  },
];
