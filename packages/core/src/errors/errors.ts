import { hasErrorMarker, MlopsError, type MlopsErrorOptions } from './mlops-error';

/** Input data or arguments are malformed: empty, ragged, non-finite, wrong shape or out of range. */
export class InvalidInputError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions, code = 'INVALID_INPUT') {
    super(code, message, options);
    this.mark('InvalidInputError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is InvalidInputError {
    return hasErrorMarker(value, 'InvalidInputError');
  }
}

/** A model, alias, version or dataset name breaks the naming rules (and could escape a storage root). */
export class InvalidNameError extends InvalidInputError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super(message, options, 'INVALID_NAME');
    this.mark('InvalidNameError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is InvalidNameError {
    return hasErrorMarker(value, 'InvalidNameError');
  }
}

/** A model, version, alias or dataset does not exist. */
export class NotFoundError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super('NOT_FOUND', message, options);
    this.mark('NotFoundError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is NotFoundError {
    return hasErrorMarker(value, 'NotFoundError');
  }
}

/** Stored bytes do not match their recorded checksum, or stored records contradict each other. */
export class IntegrityError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super('INTEGRITY', message, options);
    this.mark('IntegrityError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is IntegrityError {
    return hasErrorMarker(value, 'IntegrityError');
  }
}

/** A model artifact is not of a known format/version or fails structural validation. */
export class InvalidArtifactError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super('INVALID_ARTIFACT', message, options);
    this.mark('InvalidArtifactError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is InvalidArtifactError {
    return hasErrorMarker(value, 'InvalidArtifactError');
  }
}

/** A compare-and-set lost: the stored state was not what the caller expected. */
export class ConflictError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super('CONFLICT', message, options);
    this.mark('ConflictError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is ConflictError {
    return hasErrorMarker(value, 'ConflictError');
  }
}

/**
 * The storage behind a registry (object storage, a database) could not be reached or refused a request: the message
 * names the storage and what was asked of it. Nothing half-done is left visible.
 */
export class StorageError extends MlopsError {
  constructor(message: string, options?: MlopsErrorOptions) {
    super('STORAGE', message, options);
    this.mark('StorageError');
  }
  /** Cross-copy type guard. */
  static override isInstance(value: unknown): value is StorageError {
    return hasErrorMarker(value, 'StorageError');
  }
}
