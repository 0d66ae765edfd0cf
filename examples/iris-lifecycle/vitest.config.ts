import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'example-iris-lifecycle', testTimeout: 60_000 } });
