export { buildTable, type LoadedTable, type SourceRecord, type TableOptions } from './build-table';
export type { ColumnSpec, ColumnSpecs, ColumnType, MissingPolicy } from './column-spec';
export {
  DEFAULT_MISSING_VALUES,
  TableEncoding,
  type CellPlace,
  type FeatureEncoding,
  type TableEncodingJson,
} from './encoding';
export { loadCsv, type CsvOptions, type CsvSource } from './load-csv';
export { parseDecimal } from './number-grammar';
export { loadJson, loadNdjson, type JsonSource } from './load-json';
export { diffDatasets, type ColumnChange, type ColumnSummary, type DatasetDiff } from './diff-datasets';
export type { StandardIssue, StandardResult, StandardSchemaV1 } from './standard-schema';
