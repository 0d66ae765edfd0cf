export {
  buildTable,
  type CellPlace,
  type LoadedTable,
  type SourceRecord,
  type TableOptions,
} from './build-table';
export { buildInputs, type InputOptions, type LoadedInputs } from './build-inputs';
export type { ColumnSpec, ColumnSpecs, MissingPolicy } from './column-spec';
export { loadCsv, type CsvDialect, type CsvInputOptions, type CsvOptions, type CsvSource } from './load-csv';
export { loadJson, loadNdjson, type JsonSource } from './load-json';
export { diffDatasets, type ColumnChange, type ColumnSummary, type DatasetDiff } from './diff-datasets';
export type { StandardIssue, StandardResult, StandardSchemaV1 } from './standard-schema';
