import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Model } from '../contracts/model';
import type { Preprocessing } from '../contracts/pipeline';
import { InvalidArtifactError, InvalidInputError } from '../errors/errors';
import { centroidCodec, centroidTrainer } from '../testing/centroid-trainer';
import { createEncoder } from './encoder';
import { inputJsonSchema } from './input-json-schema';
import { createPipeline, PIPELINE_FORMAT } from './pipeline-model';
import { pipelineCodec } from './pipeline-codec';
import { pipelineTrainer } from './pipeline-trainer';

const preprocessing: Preprocessing = {
  inputs: [
    { name: 'income', type: 'number', nullable: true, fill: { strategy: 'median', value: 50 }, missingCount: 2 },
    {
      name: 'home',
      type: 'category',
      levels: ['OWN', 'RENT'],
      nullable: true,
      fill: { strategy: 'mode', value: 'RENT' },
      missingCount: 1,
    },
    { name: 'years', type: 'integer', nullable: false, missingCount: 0 },
    { name: 'married', type: 'boolean', nullable: false, missingCount: 0 },
  ],
  target: { name: 'default', task: 'classification', classNames: ['no', 'yes'] },
  dropped: ['id'],
  missingValues: ['', 'NA'],
  unseenCategory: 'error',
};

async function fitted() {
  const encode = createEncoder(preprocessing);
  const rows = encode([
    { income: 20, home: 'RENT', years: 1, married: false },
    { income: 90, home: 'OWN', years: 9, married: true },
  ]);
  const estimator = await centroidTrainer.fit({
    features: rows,
    target: [1, 0],
    featureNames: ['income', 'home', 'years', 'married'],
    classNames: ['no', 'yes'],
  });
  return createPipeline(preprocessing, estimator);
}

describe('createEncoder', () => {
  const encode = createEncoder(preprocessing);

  it('encodes records: levels to codes, blanks and absent columns filled, text numbers parsed, target and dropped ignored', () => {
    expect(
      encode([
        { income: '12.5', home: ' OWN ', years: 3, married: 'yes', id: 'x1', default: 'no' },
        { income: 'NA', home: '', years: '4', married: true },
        { years: 0, married: 0 },
      ]),
    ).toEqual([
      [12.5, 0, 3, 1],
      [50, 1, 4, 1],
      [50, 1, 0, 0],
    ]);
  });

  it('encodes positional rows, a category as its level or its code', () => {
    expect(
      encode([
        [1, 'RENT', 2, 1],
        [null, 0, 2, 'no'],
      ]),
    ).toEqual([
      [1, 1, 2, 1],
      [50, 0, 2, 0],
    ]);
  });

  it('names the row and column of every bad cell', () => {
    const cases: [unknown, string][] = [
      [
        [{ income: 1, home: 'CASTLE', years: 1, married: 1 }],
        'predict input row 0, column "home" is "CASTLE", which is not one of its levels (OWN, RENT)',
      ],
      [
        [[1, 2, 1, 1]],
        'predict input row 0, column "home" is 2: expected a level of "home" (OWN, RENT) or its code 0–1',
      ],
      [[{ income: 1, years: 1.5, married: 1 }], 'predict input row 0, column "years" is 1.5: expected an integer'],
      [
        [{ income: 1, married: 1 }],
        'predict input row 0, column "years" is missing, and this column has no fill value',
      ],
      [[{ income: ' 3 ', years: 1, married: 1 }], 'predict input row 0, column "income" is " 3 ": expected a number'],
      [[{ income: 1, years: 1, married: 2 }], 'predict input row 0, column "married" is 2: expected a boolean'],
      [
        [{ income: 1, years: 1, married: 1, salary: 3 }],
        'predict input row 0 has column "salary", which is not an input of the model',
      ],
      [[{ income: {}, years: 1, married: 1 }], 'predict input row 0, column "income" is a value of type object'],
      [[[1, 'OWN', 1]], 'predict input row 0 has 3 values but the model takes 4'],
      [['x'], 'predict input row 0 must be an object of column values or an array'],
      ['x', 'predict input must be an array'],
    ];
    for (const [input, message] of cases) {
      expect(() => encode(input as never), message).toThrowError(InvalidInputError);
      expect(() => encode(input as never), message).toThrowError(message);
    }
  });

  it('leaves a missing value as NaN for a column that keeps them (and an unseen category too, when asked)', () => {
    const keeping: Preprocessing = {
      ...preprocessing,
      unseenCategory: 'missing',
      inputs: preprocessing.inputs.map((c) => (c.fill ? { ...c, fill: { strategy: 'keep' } } : c)),
    };
    const [row] = createEncoder(keeping)([{ income: null, home: 'CASTLE', years: 3, married: true }]);
    expect(row![0]).toBeNaN();
    expect(row![1]).toBeNaN();
    expect(row!.slice(2)).toEqual([3, 1]);
    expect(inputJsonSchema(keeping).properties).toMatchObject({
      income: { description: 'missing values reach the model as missing (it handles them)' },
    });
  });

  it('treats an unseen category as missing when asked, filling it', () => {
    const lenient = createEncoder({ ...preprocessing, unseenCategory: 'missing' });
    expect(lenient([{ income: 1, home: 'CASTLE', years: 1, married: 1 }])).toEqual([[1, 1, 1, 1]]);
  });

  it('never throws anything but InvalidInputError, whatever the record (property)', () => {
    const cell = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.object(), fc.integer());
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom('income', 'home', 'years', 'married', 'id', 'x'), cell)),
        (records) => {
          try {
            const rows = encode(records as never);
            expect(rows.every((row) => row.length === 4 && row.every(Number.isFinite))).toBe(true);
          } catch (error) {
            expect(InvalidInputError.isInstance(error)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('PipelineModel', () => {
  it('predicts raw records as class indices, labels and probabilities', async () => {
    const pipeline = await fitted();
    const records = [
      { income: 22, home: 'RENT', years: 1, married: 'no' },
      { income: 85, home: null, years: 8, married: 'yes' },
    ];
    expect(pipeline.predict(records)).toEqual([1, 0]);
    expect(pipeline.predictLabels(records)).toEqual(['yes', 'no']);
    expect(pipeline.task).toBe('classification');
    expect(() => pipeline.predictProba(records)).toThrowError(
      /predictProba needs a classifier whose estimator \(centroid\)/,
    );
  });

  it('round-trips through its artifact and the codec, refusing malformed ones', async () => {
    const pipeline = await fitted();
    const artifact = JSON.parse(JSON.stringify(pipeline.toArtifact()));
    expect(artifact.format).toBe(PIPELINE_FORMAT);
    expect(artifact.featureNames).toEqual(['income', 'home', 'years', 'married']);
    expect(artifact.inputs).toEqual(preprocessing.inputs);
    const codec = pipelineCodec([centroidCodec]);
    const loaded = codec.decode(artifact);
    expect(loaded.predictLabels([{ income: 22, home: 'RENT', years: 1, married: 0 }])).toEqual(['yes']);
    expect(loaded.preprocessing).toEqual(preprocessing);

    // biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary artifact fields
    const broken = (change: (a: any) => void) => {
      const copy = JSON.parse(JSON.stringify(artifact));
      change(copy);
      return () => codec.decode(copy);
    };
    expect(broken((a) => (a.inputs[1].levels = ['OWN', 'OWN']))).toThrowError('input "home" lists a level twice');
    expect(broken((a) => (a.inputs[1].fill.value = 'CASTLE'))).toThrowError(
      'input "home" fills "CASTLE", which is not a category value among its levels',
    );
    expect(broken((a) => (a.inputs[0].nullable = false))).toThrowError('input "income" has a fill but is not nullable');
    expect(broken((a) => (a.payload.target.name = 'income'))).toThrowError(
      'the target "income" cannot also be an input',
    );
    expect(broken((a) => (a.payload.unseenCategory = 'ignore'))).toThrowError('"unseenCategory" must be');
    expect(broken((a) => (a.inputs[0].name = '__proto__'))).toThrowError(InvalidArtifactError);
    expect(broken((a) => (a.payload.estimator = a))).toThrowError(/no codec for artifact format "mlops-pipeline"/);
    expect(broken((a) => (a.classNames = ['a', 'b']))).toThrowError("classNames differ from the target's");
  });

  it('refuses an estimator that does not match the preprocessing', async () => {
    const pipeline = await fitted();
    const other: Model = { ...pipeline.estimator, featureNames: ['a', 'b', 'c', 'd'] };
    expect(() => createPipeline(preprocessing, other)).toThrowError(
      'the estimator takes a, b, c, d but the preprocessing gives income, home, years, married',
    );
    const regression = { ...preprocessing, target: { name: 'default', task: 'regression' as const } };
    expect(() => createPipeline(regression, pipeline.estimator)).toThrowError(
      'a regression pipeline needs an estimator without classes',
    );
  });
});

describe('inputJsonSchema', () => {
  it('describes records: enums for categories, null where filled, required otherwise, ignored columns allowed', () => {
    expect(inputJsonSchema(preprocessing, { title: 'loans v1' })).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'loans v1',
      type: 'object',
      properties: {
        income: { type: ['number', 'null'], description: 'missing values are filled with 50 (median)' },
        home: {
          type: ['string', 'null'],
          enum: ['OWN', 'RENT', null],
          description: 'missing values are filled with "RENT" (mode)',
        },
        years: { type: 'integer' },
        married: { type: 'boolean' },
        default: { description: 'accepted and ignored' },
        id: { description: 'accepted and ignored' },
      },
      required: ['years', 'married'],
      additionalProperties: false,
    });
    const lenient = inputJsonSchema({ ...preprocessing, unseenCategory: 'missing' }) as {
      properties: Record<string, unknown>;
    };
    expect(lenient.properties.home).toEqual({
      type: ['string', 'null'],
      anyOf: [
        { enum: ['OWN', 'RENT', null] },
        { type: 'string', description: 'a level not seen in training: filled like a missing value' },
      ],
      description: 'missing values are filled with "RENT" (mode)',
    });
  });
});

describe('pipelineTrainer', () => {
  it('fits the estimator on encoded rows and returns the pipeline, under the estimator trainer name', async () => {
    const trainer = pipelineTrainer(centroidTrainer, preprocessing);
    expect(trainer.name).toBe('centroid');
    const pipeline = await trainer.fit({
      features: createEncoder(preprocessing)([
        { income: 20, home: 'RENT', years: 1, married: false },
        { income: 90, home: 'OWN', years: 9, married: true },
      ]),
      target: [1, 0],
      featureNames: ['income', 'home', 'years', 'married'],
      classNames: ['no', 'yes'],
    });
    expect(pipeline.format).toBe(PIPELINE_FORMAT);
    expect(pipeline.predictLabels([{ income: 85, home: 'OWN', years: 8, married: 'yes' }])).toEqual(['no']);
  });
});
