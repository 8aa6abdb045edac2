import { describe, expect, it } from 'vitest';
import { startTestServer } from '../test-support/mock-server.js';
import { stateExportChunks } from './state-export.js';

describe('stateExportChunks', () => {
  it('writes exactly the document the stores export, in chunks', async () => {
    const server = await startTestServer();
    try {
      const text = [...stateExportChunks(server.store, server.mapleStore)].join('');
      expect(JSON.parse(text)).toEqual({ waldur: server.store.export(), maple: server.mapleStore.export() });
    } finally {
      await server.close();
    }
  });
});
