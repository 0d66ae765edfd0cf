export { MlopsError, hasErrorMarker, type ErrorLocation, type MlopsErrorOptions } from './mlops-error';
export {
  ConflictError,
  IntegrityError,
  InvalidArtifactError,
  InvalidInputError,
  InvalidNameError,
  NotFoundError,
  StorageError,
} from './errors';
