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
  {
    version: 2,
    name: 'access: users, sessions, login attempts, devices, enrolments, audit, review, revisions, person index',
    // No foreign keys here: the port does not promise referential integrity (MongoDB has none), so
    // both adapters behave alike; the services check references.
    sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles_json TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE login_attempts (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until TEXT
);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  org_unit_id TEXT NOT NULL,
  form_ids_json TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT,
  last_seen_at TEXT,
  revoked_at TEXT
);

CREATE TABLE enrolments (
  code_hash TEXT PRIMARY KEY,
  org_unit_id TEXT NOT NULL,
  form_ids_json TEXT NOT NULL,
  label TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  device_id TEXT
);

CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  org_unit_id TEXT,
  org_unit_path TEXT,
  target_type TEXT,
  target_id TEXT,
  details_json TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_events(at, id);
CREATE INDEX audit_path ON audit_events(org_unit_path);
-- append-only: the database itself refuses changes to the log
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE review_events (
  id TEXT PRIMARY KEY,
  submission_id TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  comment TEXT,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX review_events_submission ON review_events(submission_id, at);

CREATE TABLE submission_revisions (
  submission_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  answers_json TEXT NOT NULL,
  diff_json TEXT NOT NULL,
  comment TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (submission_id, revision)
);

CREATE TABLE person_index (
  blind_index TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  PRIMARY KEY (blind_index, submission_id)
);

CREATE TABLE setup_tokens (
  token_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'review queue: submissions by review state in listing order',
    sql: `
CREATE INDEX submissions_review_state ON submissions(review_state, received_at, id);
`,
  },
  {
    version: 5,
    name: 'rate limits: token buckets shared by every server instance',
    sql: `
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  allowed INTEGER NOT NULL
);
CREATE INDEX rate_limits_updated_at ON rate_limits(updated_at);
`,
  },
];
