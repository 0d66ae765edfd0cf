import { NAME_PATTERN } from '../names/names';
import type pg from 'pg';
import type { Transaction } from './transaction';

/**
 * The name rule of every name column as a SQL string literal, built from {@link NAME_PATTERN} so the database
 * and the code cannot drift apart (PostgreSQL's `~` reads this pattern exactly as JavaScript does).
 */
const NAME_CHECK = `'${NAME_PATTERN.source.replaceAll("'", "''")}'`;

/**
 * A version row's creation time and tags, as stored generated columns (migration 4) computed by functions of the
 * schema that yield NULL for a record that is not JSON, so a damaged row never blocks a write or a migration.
 */
/** An IMMUTABLE function of the record text that yields NULL instead of failing on text that is not JSON. */
const tolerantFunction = (schemaSql: string, name: string, returns: string, expression: string) =>
  `CREATE OR REPLACE FUNCTION ${schemaSql}.${name}(record text) RETURNS ${returns} LANGUAGE plpgsql IMMUTABLE STRICT AS $$
   BEGIN RETURN ${expression}; EXCEPTION WHEN others THEN RETURN NULL; END $$`;

/** One schema change: its SQL statements, in order, for the quoted schema identifier `schemaSql`. */
type Migration = (schemaSql: string) => readonly string[];

/**
 * The schema's history: migration `n` is `MIGRATIONS[n - 1]`. Append new migrations at the end and never edit
 * one that has shipped; a database records every number it applied in `schema_version`. Every statement is
 * idempotent (`IF NOT EXISTS`): databases created before `schema_version` existed already have some or all of
 * these tables and columns, and adopt the numbering by running them again harmlessly.
 */
export const MIGRATIONS: readonly Migration[] = [
  // 1: models, versions, aliases and their history, deletions, datasets, lifecycle decisions.
  (schemaSql) => [
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.models (
        name text PRIMARY KEY CHECK (name ~ ${NAME_CHECK}),
        latest_version integer NOT NULL DEFAULT 0 CHECK (latest_version >= 0))`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.versions (
        name text NOT NULL REFERENCES ${schemaSql}.models (name),
        version integer NOT NULL CHECK (version > 0),
        record text NOT NULL,
        artifact bytea NOT NULL,
        sha256 char(64) NOT NULL,
        PRIMARY KEY (name, version))`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.aliases (
        name text NOT NULL,
        alias text NOT NULL CHECK (alias ~ ${NAME_CHECK}),
        version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (name, alias),
        FOREIGN KEY (name, version) REFERENCES ${schemaSql}.versions (name, version))`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.alias_history (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        alias text NOT NULL,
        version integer NOT NULL,
        previous_version integer,
        reason text NOT NULL,
        at text NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.deleted_versions (
        name text NOT NULL REFERENCES ${schemaSql}.models (name),
        version integer NOT NULL CHECK (version > 0),
        deleted_at text NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (name, version))`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.dataset_names (
        name text PRIMARY KEY CHECK (name ~ ${NAME_CHECK}),
        latest_version integer NOT NULL DEFAULT 0 CHECK (latest_version >= 0))`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.dataset_versions (
        name text NOT NULL REFERENCES ${schemaSql}.dataset_names (name),
        version integer NOT NULL CHECK (version > 0),
        fingerprint char(64) NOT NULL,
        record text NOT NULL,
        data bytea NOT NULL,
        sha256 char(64) NOT NULL,
        PRIMARY KEY (name, version),
        UNIQUE (name, fingerprint))`,
    `CREATE TABLE IF NOT EXISTS ${schemaSql}.decisions (
        id bigserial PRIMARY KEY,
        model text NOT NULL CHECK (model ~ ${NAME_CHECK}),
        record text NOT NULL)`,
  ],
  // 2: archiving: a version's status and the reason of its last change.
  (schemaSql) => [
    `ALTER TABLE ${schemaSql}.versions ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived'))`,
    `ALTER TABLE ${schemaSql}.versions ADD COLUMN IF NOT EXISTS status_reason text NOT NULL DEFAULT ''`,
  ],
  // 3: rollbacks: whether an alias move was a set or a rollback.
  (schemaSql) => [
    `ALTER TABLE ${schemaSql}.alias_history ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'set' CHECK (kind IN ('set', 'rollback'))`,
  ],
  // 4: search at scale: newest first per model and overall, and tags, from indexes instead of reading every record.
  (schemaSql) => [
    tolerantFunction(schemaSql, 'record_created_at', 'text', `record::jsonb ->> 'createdAt'`),
    tolerantFunction(schemaSql, 'record_tags', 'jsonb', `record::jsonb -> 'tags'`),
    `ALTER TABLE ${schemaSql}.versions ADD COLUMN IF NOT EXISTS created_at text GENERATED ALWAYS AS (${schemaSql}.record_created_at(record)) STORED`,
    `ALTER TABLE ${schemaSql}.versions ADD COLUMN IF NOT EXISTS tags jsonb GENERATED ALWAYS AS (${schemaSql}.record_tags(record)) STORED`,
    `CREATE INDEX IF NOT EXISTS versions_newest ON ${schemaSql}.versions (name, created_at DESC, version DESC)`,
    `CREATE INDEX IF NOT EXISTS versions_newest_overall ON ${schemaSql}.versions (created_at DESC, name COLLATE "C" DESC, version DESC)`,
    `CREATE INDEX IF NOT EXISTS versions_tags ON ${schemaSql}.versions USING gin (tags jsonb_path_ops)`,
  ],
  // 5: artifacts and dataset snapshots in object storage: the row holds the object's key instead of the bytes.
  (schemaSql) => [
    `ALTER TABLE ${schemaSql}.versions ALTER COLUMN artifact DROP NOT NULL`,
    `ALTER TABLE ${schemaSql}.versions ADD COLUMN IF NOT EXISTS artifact_key text`,
    `ALTER TABLE ${schemaSql}.dataset_versions ALTER COLUMN data DROP NOT NULL`,
    `ALTER TABLE ${schemaSql}.dataset_versions ADD COLUMN IF NOT EXISTS data_key text`,
  ],
  // 6: registry-wide settings: where its artifacts live once a writer has put one in object storage.
  (schemaSql) => [`CREATE TABLE IF NOT EXISTS ${schemaSql}.settings (key text PRIMARY KEY, value text NOT NULL)`],
];

/**
 * Brings the schema `schemaSql` (a quoted identifier) up to date: in one transaction under an advisory lock (so
 * concurrent callers in several processes wait for each other), creates the schema and `schema_version` if
 * missing, then applies every migration not recorded there, in order, recording each. Idempotent.
 */
export async function migrateSchema(transaction: Transaction, schemaSql: string): Promise<void> {
  await transaction(async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('mlops-registry-migrate'))`);
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${schemaSql}`);
    await db.query(`CREATE TABLE IF NOT EXISTS ${schemaSql}.schema_version (
        version integer PRIMARY KEY CHECK (version > 0),
        applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${schemaSql}.schema_version`);
    const applied = new Set(rows.map((row) => row.version));
    for (const [index, migration] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      for (const statement of migration(schemaSql)) await db.query(statement);
      await db.query(`INSERT INTO ${schemaSql}.schema_version (version) VALUES ($1)`, [version]);
    }
  });
}

/** Whether the table `name` exists in the schema `schemaSql` (a quoted identifier): which migrations a schema has had. */
export async function tableExists(db: pg.Pool | pg.PoolClient, schemaSql: string, name: string): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    `${schemaSql}.${name}`,
  ]);
  return rows[0]!.found;
}
