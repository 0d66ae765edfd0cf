import type { JsonObject } from '../contracts/json';
import type { InputColumn } from '../contracts/pipeline';
import type { EncoderSpec } from './encoder';

function columnSchema(column: InputColumn, unseenFilled: boolean): JsonObject {
  const levels: JsonObject = { enum: [...(column.levels ?? []), ...(column.nullable ? [null] : [])] };
  const base: JsonObject =
    column.type !== 'category'
      ? { type: column.nullable ? [column.type, 'null'] : column.type }
      : unseenFilled && column.fill
        ? {
            type: ['string', 'null'],
            // Any other text is accepted too, and treated as missing: the levels stay listed for tools.
            anyOf: [
              levels,
              { type: 'string', description: 'a level not seen in training: filled like a missing value' },
            ],
          }
        : { type: column.nullable ? ['string', 'null'] : 'string', ...levels };
  return {
    ...base,
    ...(column.fill
      ? {
          description:
            column.fill.strategy === 'keep'
              ? 'missing values reach the model as missing (it handles them)'
              : `missing values are filled with ${JSON.stringify(column.fill.value)} (${column.fill.strategy})`,
        }
      : {}),
  };
}

/**
 * The input records a model takes as a JSON Schema (draft 2020-12): one property per input column (categories as
 * `enum` of their levels — or `anyOf` those levels and any text when unseen levels are filled — `null` allowed where
 * missing values are filled), non-nullable inputs required, and the
 * target and dropped columns allowed (ignored). Loaders are more lenient than the schema's canonical JSON types:
 * numbers also come as decimal text, booleans as `yes`/`no`/`1`/`0`.
 */
export function inputJsonSchema(spec: EncoderSpec, options: { readonly title?: string } = {}): JsonObject {
  const ignored = [...(spec.target ? [spec.target.name] : []), ...(spec.dropped ?? [])];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(options.title === undefined ? {} : { title: options.title }),
    type: 'object',
    properties: {
      ...Object.fromEntries(spec.inputs.map((c) => [c.name, columnSchema(c, spec.unseenCategory === 'missing')])),
      ...Object.fromEntries(ignored.map((name) => [name, { description: 'accepted and ignored' }])),
    },
    required: spec.inputs.filter((c) => !c.nullable).map((c) => c.name),
    additionalProperties: false,
  };
}
