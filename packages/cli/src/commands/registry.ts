import { defineCommand } from 'citty';
import type { Registry } from '@mlops/core';
import { ARTIFACTS_ARG, openCliRegistry, parseModelRef } from '../shared/open-cli-registry';
import { count, createOutput } from '../shared/output';
import { migrate } from './registry-migrate';

const common = {
  registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
  artifacts: ARTIFACTS_ARG,
  json: { type: 'boolean', description: 'Print the result as JSON' },
} as const;

async function withRegistry<T>(
  args: { registry?: string; artifacts?: string },
  work: (store: Registry) => Promise<T>,
): Promise<T> {
  const store = await openCliRegistry(args.registry, args.artifacts);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const list = defineCommand({
  meta: { name: 'list', description: 'List models, or the versions of one model (newest first)' },
  args: { name: { type: 'positional', required: false, description: 'Model name' }, ...common },
  run: ({ args }) =>
    withRegistry(args, async (store) => {
      const out = createOutput(Boolean(args.json));
      if (!args.name) {
        const models = await store.listModels();
        out.result(models, () => (models.length ? models.join('\n') : '(no models)'));
        return;
      }
      const { versions, total } = await store.searchVersions({ name: args.name, limit: 1000 });
      const production = await store.getAlias(args.name, 'production');
      out.result({ name: args.name, total, production: production ?? null, versions }, () =>
        versions
          .map(
            (v) =>
              `v${v.version}${v.version === production ? ' (production)' : ''}  ${v.createdAt}  ${v.status}  ${Object.entries(
                v.metrics,
              )
                .map(([k, m]) => `${k}=${m.toFixed(4)}`)
                .join(' ')}  ${v.description}`,
          )
          .join('\n'),
      );
    }),
});

const show = defineCommand({
  meta: { name: 'show', description: 'Show one version (name@version|alias)' },
  args: { model: { type: 'positional', required: true, description: 'e.g. iris@production' }, ...common },
  run: ({ args }) =>
    withRegistry(args, async (store) => {
      const { name, ref } = parseModelRef(args.model);
      const version = await store.getVersion(name, ref);
      createOutput(Boolean(args.json)).result(version, () => {
        const { tags, ...rest } = version;
        const shownTags = Object.fromEntries(Object.entries(tags).filter(([k]) => k !== 'mlops.encoding'));
        return JSON.stringify({ ...rest, tags: shownTags }, null, 2);
      });
    }),
});

const promote = defineCommand({
  meta: { name: 'promote', description: 'Point an alias (default production) at a version, by compare-and-set' },
  args: {
    name: { type: 'positional', required: true, description: 'Model name' },
    version: { type: 'positional', required: true, description: 'Version number' },
    alias: { type: 'string', default: 'production', description: 'Alias to move' },
    reason: { type: 'string', description: 'Why (kept in the alias history)' },
    ...common,
  },
  run: ({ args }) =>
    withRegistry(args, async (store) => {
      const version = Number(args.version);
      const before = await store.getAlias(args.name, args.alias);
      await store.setAlias(args.name, args.alias, version, {
        expectedVersion: before ?? null,
        reason: args.reason ?? 'mlops registry promote',
      });
      createOutput(Boolean(args.json)).result(
        { name: args.name, alias: args.alias, from: before ?? null, to: version },
        () => `${args.name}@${args.alias}: ${before === undefined ? 'created at' : `v${before} →`} v${version}`,
      );
    }),
});

const rollback = defineCommand({
  meta: { name: 'rollback', description: 'Move an alias (default production) back to its previous version' },
  args: {
    name: { type: 'positional', required: true, description: 'Model name' },
    alias: { type: 'string', default: 'production', description: 'Alias to move back' },
    reason: { type: 'string', description: 'Why (kept in the alias history)' },
    ...common,
  },
  run: ({ args }) =>
    withRegistry(args, async (store) => {
      const move = await store.rollback(args.name, args.alias, { reason: args.reason ?? 'mlops registry rollback' });
      createOutput(Boolean(args.json)).result(
        move,
        () => `${args.name}@${args.alias}: v${move.previousVersion} → v${move.version} (rollback)`,
      );
    }),
});

/** `archive` and `restore`: a version's status, with a reason. */
function statusCommand(action: 'archive' | 'restore') {
  return defineCommand({
    meta: {
      name: action,
      description:
        action === 'archive'
          ? 'Archive a version no alias points at: still loadable by number, skipped by latest'
          : 'Make an archived version active again',
    },
    args: {
      name: { type: 'positional', required: true, description: 'Model name' },
      version: { type: 'positional', required: true, description: 'Version number' },
      reason: { type: 'string', description: 'Why (kept with the version)' },
      ...common,
    },
    run: ({ args }) =>
      withRegistry(args, async (store) => {
        const options = { reason: args.reason ?? `mlops registry ${action}` };
        const version = Number(args.version);
        const changed =
          action === 'archive'
            ? await store.archiveVersion(args.name, version, options)
            : await store.restoreVersion(args.name, version, options);
        createOutput(Boolean(args.json)).result(changed, () => `${args.name} v${changed.version}: ${changed.status}`);
      }),
  });
}

const verify = defineCommand({
  meta: { name: 'verify', description: 'Check every checksum and record (exit code 1 on problems)' },
  args: {
    ...common,
    repair: {
      type: 'boolean',
      description: 'Also delete objects in --artifacts storage that no version references (older than an hour)',
    },
  },
  run: ({ args }) =>
    withRegistry(args, async (store) => {
      const report = await store.verify({ repair: Boolean(args.repair) });
      createOutput(Boolean(args.json)).result(report, () =>
        [
          `${report.ok ? 'ok' : 'PROBLEMS'}: ${count(report.checkedVersions, 'model version')}, ${count(report.checkedDatasetVersions, 'dataset version')} checked`,
          ...report.problems.map(
            (p) => `  ${p.kind ?? 'model'} ${p.name}${p.version ? ` v${p.version}` : ''}: ${p.problem}`,
          ),
          ...report.repairs.map((r) => `  repaired: ${r}`),
          ...(report.orphanedObjects?.length
            ? [
                `  ${count(report.orphanedObjects.length, 'object')} no version references${args.repair ? ' (deleted when older than an hour)' : ': --repair deletes those older than an hour'}`,
              ]
            : []),
        ].join('\n'),
      );
      if (!report.ok) process.exitCode = 1;
    }),
});

export const registry = defineCommand({
  meta: {
    name: 'registry',
    description: 'List, show, promote, roll back, archive, restore, verify and migrate registered models',
  },
  subCommands: {
    list,
    show,
    promote,
    rollback,
    archive: statusCommand('archive'),
    restore: statusCommand('restore'),
    verify,
    migrate,
  },
});
