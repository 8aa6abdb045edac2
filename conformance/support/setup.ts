import { beforeAll } from 'vitest';
import { loadSpec } from './schema.js';
import { target } from './target.js';
import { WALDUR_SPEC } from './waldur-version.js';
import { alignVersion } from './waldur-world.js';

beforeAll(async () => {
  await loadSpec(target.api === 'waldur' ? WALDUR_SPEC : 'maple-credits.yaml');
  if (target.api === 'waldur') await alignVersion();
});
