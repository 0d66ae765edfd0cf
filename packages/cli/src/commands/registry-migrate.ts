import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from 'citty';
import { InvalidInputError, type Registry } from '@mlops/core';
import {
  FileSystemModelStore,
  isPostgresLocation,
  type MigrationReport,
  migrateRegistry,
  moveArtifactsToObjectStorage,
  type PostgresModelStore,
} from '@mlops/registry';
import { openCliRegistry } from '../shared/open-cli-registry';
import { count, createOutput, progress } from '../shared/output';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function summary(report: MigrationReport, moving: boolean): string {
  const { copied, present, verify, problems } = report;
  const counts = (c: MigrationReport['copied']) =>
    `${count(c.versions, 'model version')}, ${count(c.datasetVersions, 'dataset version')}${moving ? '' : `, aliases and decisions of ${count(c.models, 'model')}`}`;
  const already = present.versions + present.datasetVersions + present.models > 0;
  return [
    `${moving ? 'moved' : 'copied'} ${counts(copied)} (${megabytes(report.bytes)})`,
    ...(already ? [`already there${moving ? ' in object storage' : ' from an earlier run'}: ${counts(present)}`] : []),
    ...problems.map((p) => `  left behind: ${p.kind ?? 'model'} ${p.name} v${p.version}: ${p.problem}`),
    `${verify.ok ? 'verified' : 'PROBLEMS'}: ${count(verify.checkedVersions, 'model version')}, ${count(verify.checkedDatasetVersions, 'dataset version')} checked in the target`,
    ...verify.problems.map((p) => `  ${p.kind ?? 'model'} ${p.name}${p.version ? ` v${p.version}` : ''}: ${p.problem}`),
  ].join('\n');
}

/** `mlops registry migrate`: a filesystem registry into PostgreSQL (+ S3), or a PostgreSQL registry's bytea into S3. */
export const migrate = defineCommand({
  meta: {
    name: 'migrate',
    description:
      'Copy a registry directory into PostgreSQL (--to postgres://… [--artifacts s3://…]), or move a postgres:// registry’s artifacts into S3 (--artifacts s3://…); resumable, verified',
  },
  args: {
    registry: {
      type: 'string',
      description: 'The registry to migrate: a directory or postgres:// URL (or MLOPS_REGISTRY)',
    },
    to: { type: 'string', description: 'The PostgreSQL registry to copy a directory into (postgres://…)' },
    artifacts: {
      type: 'string',
      description:
        'Object storage of the PostgreSQL registry: s3://bucket/prefix (or MLOPS_ARTIFACTS; AWS_* variables)',
    },
    json: { type: 'boolean', description: 'Print the report as JSON' },
  },
  run: async ({ args }) => {
    const out = createOutput(Boolean(args.json));
    const from = args.registry ?? process.env.MLOPS_REGISTRY;
    const artifacts = args.artifacts ?? (process.env.MLOPS_ARTIFACTS || undefined);
    if (!from) throw new InvalidInputError('no registry to migrate: pass --registry <dir|postgres://…>');
    if (args.to !== undefined && !isPostgresLocation(args.to))
      throw new InvalidInputError(`--to must be a postgres:// URL, got ${JSON.stringify(args.to)}`);
    if (args.to === undefined && !isPostgresLocation(from))
      throw new InvalidInputError(
        `a registry directory is copied into PostgreSQL: pass --to postgres://… (and --artifacts s3://…)`,
      );
    if (args.to !== undefined && isPostgresLocation(from))
      throw new InvalidInputError(
        'copying one PostgreSQL registry into another is pg_dump’s job; without --to, --artifacts s3://… moves its artifacts into S3',
      );
    if (args.to === undefined && artifacts === undefined)
      throw new InvalidInputError('pass --artifacts s3://bucket/prefix: where the registry’s artifacts move to');
    if (!isPostgresLocation(from) && !existsSync(join(from, 'models')) && !existsSync(join(from, 'datasets')))
      throw new InvalidInputError(`${from} is not a registry directory (it has no models/ or datasets/)`);

    const stop = new AbortController();
    const interrupt = () => stop.abort(new InvalidInputError('interrupted: run the same command again to resume'));
    process.once('SIGINT', interrupt);
    const opened: Registry[] = [];
    try {
      const show = progress(args.to === undefined ? 'moving' : 'copying', out);
      const options = {
        signal: stop.signal,
        onProgress: (p: { done: number; total: number; bytes: number }) => show(p.done, p.total, megabytes(p.bytes)),
      };
      let report: MigrationReport;
      if (args.to === undefined) {
        const store = await openCliRegistry(from, artifacts);
        opened.push(store);
        report = await moveArtifactsToObjectStorage(store as PostgresModelStore, options);
      } else {
        // The source is a directory (checked above): opened as one, whatever MLOPS_ARTIFACTS says of the target.
        const source = new FileSystemModelStore({ root: from });
        const target = await openCliRegistry(args.to, artifacts, { create: true });
        opened.push(target);
        report = await migrateRegistry(source, target as PostgresModelStore, options);
      }
      out.result(report, () => summary(report, args.to === undefined));
      if (report.problems.length > 0 || !report.verify.ok) process.exitCode = 1;
    } finally {
      process.off('SIGINT', interrupt);
      await Promise.all(opened.map((store) => store.close()));
    }
  },
});
