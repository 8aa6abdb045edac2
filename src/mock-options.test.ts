import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { toServeConfig } from './mock-options.js';

describe('toServeConfig', () => {
  it('gives the CLI defaults for no options, without sharing DEFAULT_CONFIG', () => {
    const config = toServeConfig();
    expect(config).toEqual(DEFAULT_CONFIG);
    config.maple.allowPartialConsume = true;
    expect(DEFAULT_CONFIG.maple.allowPartialConsume).toBe(false);
    expect(toServeConfig({ port: undefined, now: undefined })).toEqual(DEFAULT_CONFIG);
  });

  it('maps every option to its ServeConfig field', () => {
    const doc = { customers: [] };
    expect(
      toServeConfig({
        port: 0,
        host: '::1',
        now: '2026-11-20',
        fixtures: doc,
        mapleFixtures: '/data/maple.json',
        selfCheck: 'strict',
        admin: false,
        maple: { sameKeyDifferentRequest: 'replay' },
        log: () => undefined,
      }),
    ).toEqual({
      ...DEFAULT_CONFIG,
      port: 0,
      host: '::1',
      now: '2026-11-20',
      fixturesPath: '(the fixtures object given to startMock)',
      fixturesDocument: doc,
      mapleFixturesPath: '/data/maple.json',
      selfCheck: 'strict',
      admin: false,
      maple: { allowPartialConsume: false, sameKeyDifferentRequest: 'replay' },
    });
  });

  it('maps the serving options as the CLI flags do', () => {
    expect(
      toServeConfig({
        cors: ['http://localhost:5173/'],
        publicUrl: 'http://localhost:5173/mock/',
        stateDir: '/tmp/state',
        maxIdempotencyKeys: 1000,
        sessionTtl: '30m',
        maxSessions: 5,
        allowedHosts: ['mock.test'],
        adminToken: 's3cret',
      }),
    ).toEqual({
      ...DEFAULT_CONFIG,
      cors: { enabled: true, origins: ['http://localhost:5173'] },
      publicUrl: 'http://localhost:5173/mock',
      stateDir: '/tmp/state',
      maxIdempotencyKeys: 1000,
      sessionTtlMs: 1_800_000,
      maxSessions: 5,
      allowedHosts: ['mock.test'],
      adminToken: 's3cret',
    });
    expect(toServeConfig({ cors: false }).cors).toEqual({ enabled: false, origins: null });
    expect(() => toServeConfig({ cors: ['localhost:5173'] })).toThrow(/startMock: option cors/);
    expect(() => toServeConfig({ sessionTtl: 'forever' })).toThrow(/startMock: option sessionTtl must be a duration/);
    expect(() => toServeConfig({ publicUrl: 'http://a', trustProxy: true })).toThrow(/cannot be used together/);
  });

  it('takes the Waldur version profile as --waldur-version does', () => {
    expect(DEFAULT_CONFIG.waldurVersion).toBe('8.0.5');
    expect(toServeConfig({ waldurVersion: '8.1' })).toEqual({ ...DEFAULT_CONFIG, waldurVersion: '8.1' });
    expect(() => toServeConfig({ waldurVersion: '8.2' as never })).toThrow(
      'startMock: option waldurVersion must be 8.0.5 or 8.1, got "8.2"',
    );
    expect(() => toServeConfig({ waldurVersion: 8.1 as never })).toThrow(
      'startMock: option waldurVersion must be a string, got number 8.1',
    );
  });

  it('refuses options that are not an object', () => {
    expect(() => toServeConfig(null as never)).toThrow('startMock: options must be an object');
    expect(() => toServeConfig([] as never)).toThrow('startMock: options must be an object');
  });
});
