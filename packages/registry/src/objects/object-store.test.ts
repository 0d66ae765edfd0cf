import { InvalidInputError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { parseS3Url } from './object-store';
import { S3ObjectStore } from './s3-object-store';

describe('parseS3Url', () => {
  it('splits a bucket and a key prefix ending with /', () => {
    expect(parseS3Url('s3://models')).toEqual({ bucket: 'models', prefix: '' });
    expect(parseS3Url('s3://models/')).toEqual({ bucket: 'models', prefix: '' });
    expect(parseS3Url('s3://my-models.eu/team/registry/')).toEqual({
      bucket: 'my-models.eu',
      prefix: 'team/registry/',
    });
  });

  it('refuses what is not an s3://bucket/prefix URL, naming it', () => {
    for (const url of [
      'models',
      'http://models/x',
      's3://',
      's3://UPPER',
      's3://a',
      's3://okay/../up',
      's3://okay/a b',
      's3://okay/x?y=1',
    ]) {
      expect(() => parseS3Url(url)).toThrow(InvalidInputError);
    }
    expect(() => parseS3Url('s3://okay/../up')).toThrow('has an invalid segment ".."');
  });
});

describe('S3ObjectStore', () => {
  it('names objects by sha256 under the prefix and refuses anything else as a key', () => {
    const store = new S3ObjectStore({ url: 's3://models/team', endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
    expect(store.location).toBe('s3://models/team/');
    expect(store.keyOf('a'.repeat(64))).toBe(`team/sha256/${'a'.repeat(64)}`);
    expect(() => store.keyOf('../x')).toThrow(InvalidInputError);
    expect(() => new S3ObjectStore({ url: 's3://models', endpoint: 'ftp://x' })).toThrow('must be an http(s) URL');
    store.close();
  });
});
