import { beforeAll } from 'vitest';
import { loadSpec } from './schema.js';
import { target } from './target.js';

beforeAll(async () => {
  await loadSpec(target.api === 'waldur' ? 'waldur-credits.yaml' : 'maple-credits.yaml');
});
