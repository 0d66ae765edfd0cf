import { defineCommand } from 'citty';
import { loadModel } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { ARTIFACTS_ARG, openCliRegistry, parseModelRef } from '../shared/open-cli-registry';
import { toCsv } from '../shared/csv';
import { createOutput } from '../shared/output';
import { readInputs } from '../shared/read-table';
import { describeScores, scoreOf } from '../shared/scores';

export const predict = defineCommand({
  meta: {
    name: 'predict',
    description: 'Predict the records of a file with a registered model (the target column is optional)',
  },
  args: {
    model: { type: 'string', required: true, description: 'name@alias or name@version (e.g. loans@production)' },
    input: { type: 'string', required: true, description: 'A .csv / .tsv / .json / .ndjson file of records' },
    proba: { type: 'boolean', description: 'Also give the probability of each class (classifiers)' },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    artifacts: ARTIFACTS_ARG,
    json: { type: 'boolean', description: 'Print { model, version, predictions, probabilities?, score? } as JSON' },
  },
  async run({ args }) {
    const out = createOutput(Boolean(args.json));
    const { name, ref } = parseModelRef(args.model);
    const store = await openCliRegistry(args.registry, args.artifacts);
    try {
      const model = await loadModel(store, name, ref, codecs);
      const version = model.version.version;
      // Parsed and encoded exactly as at training time; errors name the file line and column.
      const inputs = await readInputs(args.input, model.inputSpec, { unknownLabels: 'skip' });
      const classNames = model.version.signature.classNames;
      const indices = model.predict(inputs.rows);
      const predictions = classNames ? indices.map((k) => classNames[k]!) : indices;
      const probabilities = args.proba ? model.predictProba(inputs.rows) : undefined;
      // With the target column, the score on the rows that have a label.
      const labelled = inputs.target?.flatMap((label, i) => (label === null ? [] : [[label, indices[i]!] as const]));
      const score =
        labelled && labelled.length > 0
          ? scoreOf(
              classNames,
              labelled.map(([actual]) => actual),
              labelled.map(([, predicted]) => predicted),
            )
          : undefined;
      const unknown = Object.entries(inputs.unknownLabels ?? {});
      const keptMissing = new Set(model.inputSpec.inputs.filter((c) => c.fill?.strategy === 'keep').map((c) => c.name));
      const notes = [
        ...(unknown.length > 0
          ? [
              `${unknown.reduce((n, [, count]) => n + count, 0)} rows are labelled with classes the model does not know (${unknown.map(([label, count]) => `${label} ×${count}`).join(', ')}): predicted, not scored`,
            ]
          : []),
        ...inputs.absent.map((c) => `column "${c}" is not in the file: every row gets its fill value`),
        ...Object.entries(inputs.filled).flatMap(([column, { missing, unseen }]) => [
          ...(missing > 0
            ? [
                `${column}: ${missing} blank ${missing === 1 ? 'cell' : 'cells'} ${keptMissing.has(column) ? 'left missing (the model handles them)' : 'filled'}`,
              ]
            : []),
          ...(unseen > 0 ? [`${column}: ${unseen} unseen ${unseen === 1 ? 'category' : 'categories'} filled`] : []),
        ]),
      ];
      if (!out.json) {
        const count = `${predictions.length} ${predictions.length === 1 ? 'prediction' : 'predictions'}`;
        process.stderr.write(`${name} v${version}: ${count}\n`);
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
        if (score) process.stderr.write(`score on ${labelled!.length} labelled rows: ${describeScores(score)}\n`);
      }
      // The columns a record carries but the model does not use (an id) come along, to join the predictions back.
      const kept = (model.inputSpec.dropped ?? []).filter((c) => inputs.records.some((r) => Object.hasOwn(r, c)));
      const classes = probabilities ? Object.keys(probabilities[0] ?? {}) : [];
      // stdout is plain CSV (RFC 4180, formula cells neutralised) so it can be piped or opened in a spreadsheet.
      out.result(
        {
          model: name,
          version,
          task: model.task,
          predictions,
          ...(probabilities ? { probabilities } : {}),
          // The columns the model dropped at training (an id), row by row, to join the predictions back.
          ...(kept.length > 0
            ? { passedThrough: Object.fromEntries(kept.map((c) => [c, inputs.records.map((r) => r[c] ?? null)])) }
            : {}),
          ...(score ? { score, labelledRows: labelled!.length } : {}),
          ...(Object.keys(inputs.filled).length > 0 ? { filled: inputs.filled } : {}),
          ...(inputs.absent.length > 0 ? { absentColumns: inputs.absent } : {}),
          ...(unknown.length > 0 ? { unknownLabels: inputs.unknownLabels } : {}),
        },
        () =>
          toCsv(
            [...kept, 'prediction', ...classes.map((c) => `p(${c})`)],
            predictions.map((p, i) => [
              ...kept.map((c) => inputs.records[i]![c] ?? ''),
              p,
              ...classes.map((c) => probabilities![i]![c]!),
            ]),
          ).trimEnd(),
      );
    } finally {
      await store.close();
    }
  },
});
