import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SecretSealer } from '@baton/contracts';

/**
 * Where a process finds the key that seals secret params (README: `BATON_SECRETS_KEY`,
 * `BATON_SECRETS_KEY_FILE`). The API and the engine's run-request admission seal with
 * it, executors unseal; all of them must hold the same key.
 */
export interface SecretsConfig {
  /** `BATON_SECRETS_KEY`: the key itself, base64 of 32 bytes. Wins over the file. */
  readonly key?: string;
  /** `BATON_SECRETS_KEY_FILE`, default `<dataDir>/secrets.key`: base64 of 32 bytes. */
  readonly keyFile: string;
  /** Create `keyFile` (mode 0600) when it does not exist: the all-in-one does, on its first start. */
  readonly createKeyFile: boolean;
}

/**
 * The sealer for `config`, or null when no key is configured (then the API
 * refuses secret values with a 400 naming the setting, and an executor fails
 * such steps as platform errors). A key that is present but malformed stops
 * the process: a wrong key would only show up later, as runs that cannot open.
 */
export async function openSecretSealer(config: SecretsConfig): Promise<SecretSealer | null> {
  if (config.key !== undefined && config.key !== '')
    return new SecretSealer(decodeKey(config.key, 'BATON_SECRETS_KEY'));
  const text = await readFile(config.keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new Error(`cannot read the secrets key file ${config.keyFile}: ${error.message}`);
  });
  if (text !== null) return new SecretSealer(decodeKey(text.trim(), config.keyFile));
  if (!config.createKeyFile) return null;
  const key = SecretSealer.generateKey();
  await mkdir(dirname(config.keyFile), { recursive: true });
  // `wx`: two processes starting at once never overwrite each other's key.
  await writeFile(config.keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  await chmod(config.keyFile, 0o600);
  return new SecretSealer(decodeKey((await readFile(config.keyFile, 'utf8')).trim(), config.keyFile));
}

function decodeKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.replace(/\s/g, '')) {
    throw new Error(
      `${source} must hold a base64-encoded 32-byte key (make one with: openssl rand -base64 32)`,
    );
  }
  return key;
}
