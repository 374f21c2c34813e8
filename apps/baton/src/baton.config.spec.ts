import { loadConfig } from './baton.config';

describe('loadConfig', () => {
  it('defaults to port 8080 and a .baton data directory', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir).toMatch(/\.baton$/);
  });

  it('takes BATON_PORT and BATON_DATA_DIR', () => {
    expect(loadConfig({ BATON_PORT: '9000', BATON_DATA_DIR: '/tmp/b' })).toEqual({
      port: 9000,
      dataDir: '/tmp/b',
    });
  });

  it('rejects a port that is not a number, saying which variable is wrong', () => {
    expect(() => loadConfig({ BATON_PORT: 'http' })).toThrow(/BATON_PORT/);
  });
});
