import { writeFile } from 'node:fs/promises';
import { defineCommand } from 'citty';
import { type InputColumn, InvalidInputError } from '@mlops/core';
import { detectDrift, renderDriftReport } from '@mlops/monitor';
import { loadModel } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { openCliRegistry, parseModelRef } from '../shared/open-cli-registry';
import { createOutput } from '../shared/output';
import { readInputs, readRecords } from '../shared/read-table';

/** Both files read with a model version's preprocessing: its input columns, typed and encoded as at training time. */
async function modelColumns(model: string, registry: string | undefined, reference: string, current: string) {
  const { name, ref } = parseModelRef(model);
  const store = await openCliRegistry(registry);
  try {
    const served = await loadModel(store, name, ref, codecs);
    const [before, now] = await Promise.all([
      readInputs(reference, served.inputSpec),
      readInputs(current, served.inputSpec),
    ]);
    const names = served.inputs.map((c) => c.name);
    const columnsOf = (rows: readonly number[][]) =>
      Object.fromEntries(names.map((column, j) => [column, Float64Array.from(rows, (row) => row[j]!)]));
    return { names, ref: columnsOf(before.rows), cur: columnsOf(now.rows), types: [...served.inputs] };
  } finally {
    await store.close();
  }
}

/**
 * Columns of both files as numbers: numeric columns as they are, text columns as codes of their sorted union of
 * values — typed as categories with those levels, so drift compares level counts and the report names the levels.
 */
function toColumns(
  reference: Record<string, unknown>[],
  current: Record<string, unknown>[],
  exclude: string | undefined,
) {
  const names = Object.keys(reference[0] ?? {}).filter((name) => name !== exclude);
  if (names.length === 0) throw new InvalidInputError('the reference file has no columns to compare');
  for (const name of names)
    if (!current.some((r) => Object.hasOwn(r, name)))
      throw new InvalidInputError(`the current file lacks column "${name}"`, { columnName: name });
  const numeric = (v: unknown) =>
    typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));
  const columns = (rows: Record<string, unknown>[], name: string, codes?: Map<string, number>) =>
    Float64Array.from(rows, (r, i) => {
      const v = r[name];
      if (codes) return codes.get(String(v))!;
      if (!numeric(v))
        throw new InvalidInputError(`row ${i}, column "${name}" is ${JSON.stringify(v)}: expected a number`, {
          row: i,
          columnName: name,
        });
      return Number(v);
    });
  const ref: Record<string, Float64Array> = {};
  const cur: Record<string, Float64Array> = {};
  const types: InputColumn[] = [];
  for (const name of names) {
    const isNumeric = [...reference, ...current].every((r) => numeric(r[name]));
    const levels = isNumeric ? undefined : [...new Set([...reference, ...current].map((r) => String(r[name])))].sort();
    const codes = levels && new Map(levels.map((v, i) => [v, i]));
    ref[name] = columns(reference, name, codes);
    cur[name] = columns(current, name, codes);
    types.push({
      name,
      type: levels ? 'category' : 'number',
      ...(levels ? { levels } : {}),
      nullable: false,
      missingCount: 0,
    });
  }
  return { names, ref, cur, types };
}

export const monitor = defineCommand({
  meta: { name: 'monitor', description: 'Compare two tables for drift; optionally write an HTML report' },
  args: {
    reference: {
      type: 'string',
      required: true,
      description: 'Reference rows (.csv / .json / .ndjson), e.g. the training data',
    },
    current: { type: 'string', required: true, description: 'Current rows, e.g. last day of requests' },
    target: { type: 'string', description: 'A column to leave out (the label)' },
    model: {
      type: 'string',
      description: "name@alias: compare that version's input columns, read as at training time (others are ignored)",
    },
    registry: {
      type: 'string',
      description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY), with --model',
    },
    html: { type: 'string', description: 'Write the drift report to this HTML file' },
    'fail-on-drift': { type: 'boolean', description: 'Exit with code 3 when the dataset drifted' },
    json: { type: 'boolean', description: 'Print the report as JSON' },
  },
  async run({ args }) {
    const out = createOutput(Boolean(args.json));
    const { names, ref, cur, types } = args.model
      ? await modelColumns(args.model, args.registry, args.reference, args.current)
      : toColumns(...(await Promise.all([readRecords(args.reference), readRecords(args.current)])), args.target);
    const report = detectDrift(ref, cur, { featureNames: names, columns: types });
    if (args.html)
      await writeFile(
        args.html,
        renderDriftReport(report, {
          reference: ref,
          current: cur,
          title: `Drift: ${args.current} vs ${args.reference}`,
        }),
      );
    out.result(report, () =>
      [
        `dataset drift: ${report.datasetDrift ? 'YES' : 'no'} (${report.driftedCount}/${report.features.length} features, ${report.referenceRows} vs ${report.currentRows} rows)`,
        ...report.features.map(
          (f) =>
            `  ${f.drifted ? 'DRIFT' : 'ok   '} ${f.feature}: ${f.test} ${f.statistic.toFixed(4)}${f.pValue === undefined ? '' : ` p=${f.pValue.toExponential(3)}`}`,
        ),
        ...(args.html ? [`report: ${args.html}`] : []),
      ].join('\n'),
    );
    if (args['fail-on-drift'] && report.datasetDrift) process.exitCode = 3;
  },
});
