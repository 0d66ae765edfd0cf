import { defineCommand } from 'citty';
import { openCliRegistry, parseModelRef } from '../shared/open-cli-registry';
import { toCsv } from '../shared/csv';
import { createOutput } from '../shared/output';
import { readRecords } from '../shared/read-table';
import { loadServedModel } from '../shared/served-model';

export const predict = defineCommand({
  meta: { name: 'predict', description: 'Predict the rows of a file with a registered model' },
  args: {
    model: { type: 'string', required: true, description: 'name@alias or name@version (e.g. iris@production)' },
    input: { type: 'string', required: true, description: 'A .csv / .json / .ndjson file of rows' },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  async run({ args }) {
    const out = createOutput(Boolean(args.json));
    const { name, ref } = parseModelRef(args.model);
    const store = await openCliRegistry(args.registry);
    try {
      const model = await loadServedModel(store, name, ref);
      const records = await readRecords(args.input);
      const predictions = model.predict(records);
      const version = model.registered.version.version;
      const rows = predictions.map((prediction, row) => ({
        row,
        prediction,
        ...(model.classNames ? { class: model.classNames[prediction] } : {}),
      }));
      if (!out.json) process.stderr.write(`${name} v${version}: ${rows.length} predictions\n`);
      // stdout is plain CSV (RFC 4180, formula cells neutralised) so it can be piped or opened in a spreadsheet.
      out.result({ model: name, version, predictions: rows }, () =>
        toCsv(
          ['row', 'prediction'],
          rows.map((r) => [r.row, r.class ?? r.prediction]),
        ).trimEnd(),
      );
    } finally {
      await store.close();
    }
  },
});
