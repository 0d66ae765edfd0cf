import type { InputColumn, Preprocessing, RawRecord } from '../contracts/pipeline';
import { isMissing, parseRawValue } from './cells';

/** Per input column, its category levels (`null` for other types): a dataset's `levels` when encoded with `pre`. */
export function levelsOf(pre: Pick<Preprocessing, 'inputs'>): (string[] | null)[] {
  return pre.inputs.map((column) => (column.type === 'category' ? [...(column.levels ?? [])] : null));
}

/** What {@link extendPreprocessing} added: new levels per category column, and new classes. */
export interface SchemaAdditions {
  readonly levels: Readonly<Record<string, readonly string[]>>;
  readonly classNames: readonly string[];
}

/**
 * The preprocessing with the category levels and classes `records` hold that it does not know, appended in the
 * order they first appear (known ones keep their codes, so rows encoded before stay valid). Missing cells and
 * unlabelled records add nothing. Fill values are kept. Used to read a labelled batch a model must retrain on.
 */
export function extendPreprocessing(
  pre: Preprocessing,
  records: readonly RawRecord[],
): { readonly preprocessing: Preprocessing; readonly added: SchemaAdditions } {
  const added: Record<string, string[]> = {};
  const textOf = (value: unknown, name: string, row: number) =>
    parseRawValue(value, 'category', { place: `row ${row}, column "${name}"`, row, columnName: name }) as string;
  const grow = (known: readonly string[], name: string): string[] => {
    const seen = new Set(known);
    const more: string[] = [];
    records.forEach((record, row) => {
      const value = record[name];
      if (value === undefined || isMissing(value, pre.missingValues)) return;
      const text = textOf(value, name, row);
      if (!seen.has(text)) {
        seen.add(text);
        more.push(text);
      }
    });
    return more;
  };
  const inputs = pre.inputs.map((column): InputColumn => {
    if (column.type !== 'category') return column;
    const more = grow(column.levels ?? [], column.name);
    if (more.length === 0) return column;
    added[column.name] = more;
    return { ...column, levels: [...(column.levels ?? []), ...more] };
  });
  const { target } = pre;
  const newClasses = target.task === 'classification' ? grow(target.classNames ?? [], target.name) : [];
  return {
    preprocessing: {
      ...pre,
      inputs,
      target: newClasses.length ? { ...target, classNames: [...(target.classNames ?? []), ...newClasses] } : target,
    },
    added: { levels: added, classNames: newClasses },
  };
}

/**
 * How a challenger's raw inputs differ from production's: `compatible` changes (a new category level, a new
 * nullable column, a column that now accepts blanks) keep every request production accepts valid; `incompatible`
 * ones (a column removed, retyped or newly required, a level dropped, blanks no longer accepted) would reject
 * requests production serves. Each entry is a sentence naming the column.
 */
export function compareInputs(
  production: readonly InputColumn[],
  challenger: readonly InputColumn[],
): { readonly compatible: string[]; readonly incompatible: string[] } {
  const compatible: string[] = [];
  const incompatible: string[] = [];
  const next = new Map(challenger.map((column) => [column.name, column]));
  for (const before of production) {
    const after = next.get(before.name);
    if (!after) {
      incompatible.push(`column "${before.name}" was removed`);
      continue;
    }
    next.delete(before.name);
    if (after.type !== before.type) {
      incompatible.push(`column "${before.name}" changed from ${before.type} to ${after.type}`);
      continue;
    }
    if (before.nullable && !after.nullable) incompatible.push(`column "${before.name}" no longer accepts blanks`);
    if (!before.nullable && after.nullable) compatible.push(`column "${before.name}" now accepts blanks`);
    const levels = new Set(after.levels ?? []);
    const dropped = (before.levels ?? []).filter((level) => !levels.has(level));
    if (dropped.length) incompatible.push(`column "${before.name}" lost levels ${dropped.join(', ')}`);
    const known = new Set(before.levels ?? []);
    const fresh = (after.levels ?? []).filter((level) => !known.has(level));
    if (fresh.length) compatible.push(`column "${before.name}" gained levels ${fresh.join(', ')}`);
  }
  for (const column of next.values())
    (column.nullable ? compatible : incompatible).push(
      `column "${column.name}" was added${column.nullable ? ' (blanks accepted)' : ', and requests must carry it'}`,
    );
  return { compatible, incompatible };
}
