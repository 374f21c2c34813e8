import { jsonParam, type SqlClient } from '@baton/sql';
import type { Principal } from './principal';
import type { Role } from './roles';
import { hashSecret, newTokenText, parseTokenText, verifySecret } from './token-secret';

/** A stored API token as the API lists it: never its secret, never its hash. */
export interface ApiToken {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
  /** Workflow-id prefixes; null for every workflow. */
  readonly scopes: readonly string[] | null;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

export interface NewApiToken {
  readonly name: string;
  readonly role: Role;
  readonly scopes: readonly string[] | null;
  /** The principal creating it (audit). */
  readonly createdBy: string;
}

interface TokenRow {
  token_id: string;
  name: string;
  role: Role;
  scopes: string[] | null;
  secret_hash: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

/**
 * API tokens in the read-model database (shared by every API process), as
 * salted scrypt hashes. `create` answers the token text once; nothing can
 * show it again.
 *
 * @example
 *   const store = new TokenStore(sql, () => Date.now());
 *   const { token } = await store.create({ name: 'ci', role: 'operator', scopes: ['sales.'], createdBy: 'token:1a2b' });
 *   const principal = await store.verify(token); // { subject: 'token:…', role: 'operator', scopes: ['sales.'] }
 */
export class TokenStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly now: () => number,
  ) {}

  async create(request: NewApiToken): Promise<{ readonly token: string; readonly record: ApiToken }> {
    const text = newTokenText();
    const rows = await this.sql.query<TokenRow>(
      `INSERT INTO api_tokens (token_id, name, role, scopes, secret_hash, created_at, created_by)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) RETURNING *`,
      [
        text.id,
        request.name,
        request.role,
        jsonParam(request.scopes),
        await hashSecret(text.secret),
        new Date(this.now()),
        request.createdBy,
      ],
    );
    return { token: text.text, record: toApiToken(rows[0]) };
  }

  /** Every token, revoked ones included (the audit keeps them), newest first. */
  async list(): Promise<ApiToken[]> {
    const rows = await this.sql.query<TokenRow>(
      'SELECT * FROM api_tokens ORDER BY created_at DESC, token_id',
    );
    return rows.map(toApiToken);
  }

  /** Revokes a live token; null when no live token has that id. */
  async revoke(tokenId: string, revokedBy: string): Promise<ApiToken | null> {
    const rows = await this.sql.query<TokenRow>(
      `UPDATE api_tokens SET revoked_at = $2, revoked_by = $3
       WHERE token_id = $1 AND revoked_at IS NULL RETURNING *`,
      [tokenId, new Date(this.now()), revokedBy],
    );
    return rows.length === 0 ? null : toApiToken(rows[0]);
  }

  /** The principal a live token stands for; null for an unknown, revoked or wrong token. */
  async verify(tokenText: string): Promise<Principal | null> {
    const parsed = parseTokenText(tokenText);
    if (!parsed) return null;
    const rows = await this.sql.query<TokenRow>(
      'SELECT * FROM api_tokens WHERE token_id = $1 AND revoked_at IS NULL',
      [parsed.id],
    );
    if (rows.length === 0 || !(await verifySecret(parsed.secret, rows[0].secret_hash))) return null;
    return { subject: `token:${rows[0].token_id}`, role: rows[0].role, scopes: rows[0].scopes };
  }

  /** Whether the token with this id is still live (the authenticator's cache re-checks it). */
  async isLive(tokenId: string): Promise<boolean> {
    const rows = await this.sql.query('SELECT 1 FROM api_tokens WHERE token_id = $1 AND revoked_at IS NULL', [
      tokenId,
    ]);
    return rows.length > 0;
  }
}

function toApiToken(row: TokenRow): ApiToken {
  return {
    tokenId: row.token_id,
    name: row.name,
    role: row.role,
    scopes: row.scopes,
    createdAt: row.created_at.getTime(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.getTime() ?? null,
    revokedBy: row.revoked_by,
  };
}
