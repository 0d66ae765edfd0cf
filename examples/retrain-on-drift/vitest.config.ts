import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'example-retrain-on-drift', testTimeout: 60_000 } });
