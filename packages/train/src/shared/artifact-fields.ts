import { InvalidArtifactError, type JsonObject } from '@mlops/core';

/** A non-empty list of non-empty names from an untrusted artifact, or `InvalidArtifactError`. */
export function artifactNames(value: unknown, field: string, format: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new InvalidArtifactError(`invalid ${format} artifact: ${field} must be a non-empty list of names`);
  }
  return value as string[];
}

/** The params object of an untrusted artifact, or `InvalidArtifactError`. */
export function artifactParams(value: unknown, format: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArtifactError(`invalid ${format} artifact: params must be an object`);
  }
  return value as JsonObject;
}
