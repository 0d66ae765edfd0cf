export { parseDecimal } from './number-grammar';
export { DEFAULT_MISSING_VALUES, describeValue, isMissing, isRawValue, parseRawValue, type CellRef } from './cells';
export { createEncoder, type EncodeOptions, type Encoder, type EncoderSpec, type RawInput } from './encoder';
export { describeInputsProblem, describePreprocessingProblem } from './validate-preprocessing';
export { createPipeline, encodedFeatureType, PIPELINE_FORMAT, PipelineModel } from './pipeline-model';
export { pipelineCodec, type PipelineCodec } from './pipeline-codec';
export { pipelineTrainer, refitPreprocessing } from './pipeline-trainer';
export { compareInputs, extendPreprocessing, levelsOf, type SchemaAdditions } from './schema-change';
export { inputJsonSchema } from './input-json-schema';
