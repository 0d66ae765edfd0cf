import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'registry',
    // The PostgreSQL + S3 conformance suite makes ~1,000 real S3 round trips in one test; on a loaded 2-core machine
    // that can exceed the default 5 s.
    testTimeout: 20_000,
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
