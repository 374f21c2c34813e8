import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_CONFIG } from '@baton/api';
import { adminTokenPath, TokenStore, type AuthConfig } from '@baton/auth';
import { PLATFORM_CONFIG, type PlatformConfig } from '@baton/platform';

/** The name of the token the all-in-one makes for its local user. */
export const LOCAL_ADMIN_TOKEN_NAME = 'local-admin';

/**
 * The all-in-one's first start creates an admin token and writes it to
 * `<data dir>/admin-token` with mode 0600 (only this user reads it), the way
 * Airflow's standalone mode prints its admin password, except that the token
 * never reaches the log: the log says where it is. The CLI reads it from
 * there for local use, so `npm start` and `baton ...` work with no setup.
 * A later start keeps the file while its token is still valid, and replaces
 * it otherwise (the database was wiped, or the token revoked).
 */
@Injectable()
export class LocalAdminToken implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(TokenStore) private readonly tokens: TokenStore,
    @Inject(AUTH_CONFIG) private readonly auth: AuthConfig,
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.auth.enabled) return;
    const path = adminTokenPath(this.platform.dataDir);
    // On Kafka and PostgreSQL nothing else may have made the data directory.
    await mkdir(this.platform.dataDir, { recursive: true });
    const existing = await readFile(path, 'utf8').catch(() => null);
    if (existing !== null && (await this.tokens.verify(existing.trim()))) {
      await chmod(path, 0o600);
      this.logger.log({ msg: 'admin token for local use (the CLI reads it)', path });
      return;
    }
    const { token, record } = await this.tokens.create({
      name: LOCAL_ADMIN_TOKEN_NAME,
      role: 'admin',
      scopes: null,
      createdBy: 'system:first-start',
    });
    await writePrivate(path, `${token}\n`);
    this.logger.log({
      msg:
        `${existing === null ? 'first start' : 'the admin token in the data directory was no longer valid'}: ` +
        `created an admin API token and wrote it to ${path} (mode 0600); the CLI reads it from there. ` +
        'Make tokens for others with `baton token create --role viewer|operator|admin`.',
      path,
      tokenId: record.tokenId,
    });
  }
}

/** Writes through a 0600 temp file renamed into place: the token is never readable by others, even briefly. */
async function writePrivate(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}
