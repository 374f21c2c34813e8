import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';

/**
 * An identity provider for tests: an RS256 key pair whose public JWKS is
 * served on a loopback port, and a signer of JWTs with it (or with a key the
 * JWKS does not hold).
 *
 * @example
 *   const idp = await LoopbackIdp.start();
 *   const jwt = await idp.sign({ sub: 'ana', roles: ['operator'] });
 *   await idp.stop();
 */
export class LoopbackIdp {
  readonly issuer = 'https://idp.test/';
  readonly audience = 'baton-api';

  private constructor(
    private readonly server: Server,
    private readonly key: KeyLike,
    private readonly strangerKey: KeyLike,
  ) {}

  static async start(): Promise<LoopbackIdp> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const server = createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackIdp(server, privateKey, stranger.privateKey);
  }

  get jwksUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  /** A JWT from this provider (issuer, audience, one hour), with `claims`; `options` bend it for negative tests. */
  async sign(
    claims: JWTPayload,
    options: { audience?: string; expiresAt?: number; stranger?: boolean } = {},
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(options.stranger ? this.strangerKey : this.key);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
