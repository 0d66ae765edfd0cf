import { InvalidNameError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { StoreLayout } from './layout';

describe('StoreLayout', () => {
  it('maps names to the documented layout', () => {
    const layout = new StoreLayout('/srv/registry/');
    expect(layout.root).toBe('/srv/registry');
    expect(layout.versionFile('iris', 3)).toBe('/srv/registry/models/iris/versions/3/version.json');
    expect(layout.artifactFile('iris', 3)).toBe('/srv/registry/models/iris/versions/3/artifact.json');
    expect(layout.aliasFile('iris', 'production')).toBe('/srv/registry/models/iris/aliases/production.json');
    expect(layout.historyFile('iris')).toBe('/srv/registry/models/iris/alias-history.ndjson');
    expect(layout.lockDir('iris')).toBe('/srv/registry/models/iris/.lock');
    expect(layout.tmpDir()).toBe('/srv/registry/tmp');
  });

  it('refuses any path that would resolve outside the root, even for unchecked segments', () => {
    const layout = new StoreLayout('/srv/registry');
    expect(() => layout.tmpEntry('../../etc/passwd')).toThrow(
      new InvalidNameError('path "/srv/etc/passwd" would leave the registry root "/srv/registry"'),
    );
    expect(() => layout.tmpEntry('..')).toThrow(InvalidNameError);
    expect(() => layout.modelDir('../registry-evil')).toThrow(InvalidNameError);
    expect(() => layout.versionDir('iris', 0)).toThrow(InvalidNameError);
    expect(new StoreLayout('/').tmpDir()).toBe('/tmp');
  });
});
