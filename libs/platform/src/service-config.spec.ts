import { configOrExit } from './bootstrap';
import { loadServiceConfig } from './service-config';

describe('loadServiceConfig', () => {
  it('defaults to the service port on loopback, info JSON-or-pretty logs in colour', () => {
    const sut = loadServiceConfig({}, 'engine', 8081);
    expect(sut.service).toBe('engine');
    expect(sut.http).toEqual({ port: 8081, host: '127.0.0.1' });
    expect(sut.log).toEqual({ level: 'info', format: 'auto', color: true });
    expect(sut.platform.eventLog.kind).toBe('embedded');
  });

  it('takes BATON_PORT, BATON_HOST, BATON_LOG_* and NO_COLOR; empty means unset', () => {
    const sut = loadServiceConfig(
      {
        BATON_PORT: '9001',
        BATON_HOST: '0.0.0.0',
        BATON_LOG_LEVEL: 'warn',
        BATON_LOG_FORMAT: 'json',
        NO_COLOR: '1',
      },
      'api',
      8080,
    );
    expect(sut.http).toEqual({ port: 9001, host: '0.0.0.0' });
    expect(sut.log).toEqual({ level: 'warn', format: 'json', color: false });
    expect(loadServiceConfig({ BATON_PORT: '', BATON_HOST: '' }, 'api', 8080).http).toEqual({
      port: 8080,
      host: '127.0.0.1',
    });
  });

  it('lists every wrong variable with its value', () => {
    expect(() => loadServiceConfig({ BATON_PORT: 'http', BATON_LOG_FORMAT: 'yaml' }, 'api', 8080)).toThrow(
      "invalid configuration: BATON_PORT must be a TCP port number (0-65535) (got 'http'); " +
        "BATON_LOG_FORMAT must be json, pretty or auto (got 'yaml')",
    );
  });
});

describe('configOrExit', () => {
  afterEach(() => jest.restoreAllMocks());

  it('stops the start with the message naming the variable, exit code 2, no stack trace', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    expect(() => configOrExit(() => loadServiceConfig({ BATON_PORT: '70000' }, 'engine', 8081))).toThrow(
      'exit 2',
    );
    expect(exit).toHaveBeenCalledWith(2);
    expect(stderr).toHaveBeenCalledWith(
      "baton: invalid configuration: BATON_PORT must be a TCP port number (0-65535) (got '70000')\n",
    );
  });

  it('answers the config when every setting is good', () => {
    expect(configOrExit(() => loadServiceConfig({}, 'engine', 8081)).http.port).toBe(8081);
  });
});
