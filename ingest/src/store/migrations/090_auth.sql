-- 090: operator accounts of cloud-api (docs/api.md): tenants, users with roles, and the
-- append-only, hash-chained audit log of administrative actions. Migrations never drop data.

CREATE TABLE IF NOT EXISTS tenants (
  id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- tenant NULL = a platform account (may act on every tenant)
CREATE TABLE IF NOT EXISTS users (
  username       text PRIMARY KEY CHECK (username ~ '^[A-Za-z0-9_.@-]{1,64}$'),
  tenant         text REFERENCES tenants (id),
  role           text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  -- scrypt$N$r$p$salt$hash (broker/src/secret-hash.ts); never the password
  password_hash  text NOT NULL,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS users_tenant ON users (tenant);

-- Each row carries the sha256 of the previous row's hash and its own content (cloud-api/src/auth/audit.ts),
-- so editing, deleting or reordering a row breaks the chain at that row: `rigstream audit verify`.
CREATE TABLE IF NOT EXISTS audit_log (
  id         bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  tenant     text,
  action     text NOT NULL,
  target     text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}',
  prev_hash  text NOT NULL,
  hash       text NOT NULL UNIQUE
);

-- Append-only: the application role cannot change or remove a row. (An owner who disables the
-- trigger can; the hash chain is what detects that.)
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;

DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
