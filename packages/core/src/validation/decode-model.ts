import type { Model, ModelArtifact, ModelCodec } from '../contracts/model';
import { InvalidArtifactError } from '../errors/errors';

/** Rebuilds a model with the codec whose `format` and `formatVersions` match the artifact. */
export function decodeModel(artifact: ModelArtifact, codecs: readonly ModelCodec[]): Model {
  if (typeof artifact !== 'object' || artifact === null || typeof artifact.format !== 'string') {
    throw new InvalidArtifactError('artifact must be an object with a string "format"');
  }
  const codec = codecs.find((c) => c.format === artifact.format);
  if (!codec) {
    const known = codecs.map((c) => c.format).join(', ') || 'none';
    throw new InvalidArtifactError(`no codec for artifact format "${artifact.format}" (known: ${known})`);
  }
  if (!codec.formatVersions.includes(artifact.formatVersion)) {
    throw new InvalidArtifactError(
      `format "${artifact.format}" version ${String(artifact.formatVersion)} is not supported (supported: ${codec.formatVersions.join(', ')})`,
    );
  }
  return codec.decode(artifact);
}
