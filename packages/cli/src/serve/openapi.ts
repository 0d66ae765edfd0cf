import { inputJsonSchema, type JsonObject } from '@mlops/core';
import type { RegisteredModel } from '@mlops/registry';

const json = (schema: JsonObject, description: string): JsonObject => ({
  description,
  content: { 'application/json': { schema } },
});
const error = json(
  { $ref: '#/components/schemas/Error' },
  'Bad input or request: the message names the row and column',
);
const tooLarge = json({ $ref: '#/components/schemas/Error' }, 'The request body is over the size limit');

/** The OpenAPI 3.1 description of the prediction server for the version it serves now. */
export function openApiDocument(name: string, model: RegisteredModel): JsonObject {
  const { version } = model.version;
  const { $schema: _, ...record } = inputJsonSchema(model.inputSpec);
  const classes = model.version.signature.classNames;
  const prediction: JsonObject = classes ? { type: 'string', enum: [...classes] } : { type: 'number' };
  return {
    openapi: '3.1.0',
    info: { title: `${name} prediction server`, version: String(version) },
    paths: {
      '/predict': {
        post: {
          summary: classes ? 'Class labels of the rows' : 'Predicted values of the rows',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictRequest' } } },
          },
          responses: {
            200: json({ $ref: '#/components/schemas/PredictResponse' }, 'One prediction per row, in order'),
            400: error,
            413: tooLarge,
          },
        },
      },
      '/schema': {
        get: {
          summary: 'The input record schema (JSON Schema 2020-12)',
          responses: { 200: json({ type: 'object' }, 'A JSON Schema') },
        },
      },
      '/health': {
        get: {
          summary: 'The version served',
          responses: {
            200: json(
              {
                type: 'object',
                properties: {
                  status: { const: 'ok' },
                  model: { type: 'string' },
                  ref: { type: ['string', 'integer'] },
                  version: { type: 'integer' },
                  loadedAt: { type: 'string', format: 'date-time' },
                },
              },
              'Serving',
            ),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': {} } } },
        },
      },
    },
    components: {
      schemas: {
        Record: record,
        PredictRequest: {
          type: 'object',
          required: ['rows'],
          additionalProperties: false,
          properties: {
            rows: {
              type: 'array',
              items: {
                oneOf: [
                  { $ref: '#/components/schemas/Record' },
                  {
                    type: 'array',
                    description: `Positional: ${model.inputs.map((c) => c.name).join(', ')}`,
                    minItems: model.inputs.length,
                    maxItems: model.inputs.length,
                  },
                ],
              },
            },
            ...(classes ? { proba: { type: 'boolean', description: 'Also return class probabilities' } } : {}),
          },
        },
        PredictResponse: {
          type: 'object',
          required: ['model', 'version', 'predictions'],
          properties: {
            model: { type: 'string' },
            version: { type: 'integer' },
            predictions: { type: 'array', items: prediction },
            ...(classes
              ? {
                  probabilities: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: Object.fromEntries(classes.map((c) => [c, { type: 'number' }])),
                    },
                  },
                }
              : {}),
          },
        },
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      },
    },
  };
}
