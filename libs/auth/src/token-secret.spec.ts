import { hashSecret, newTokenText, parseTokenText, verifySecret } from './token-secret';

describe('API token secrets', () => {
  it('makes baton_<id>_<secret> texts that parse back into their parts', () => {
    const made = newTokenText();
    expect(made.text).toMatch(/^baton_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseTokenText(made.text)).toEqual({ id: made.id, secret: made.secret });
  });

  it('parses nothing else (a JWT, a truncated token, another prefix)', () => {
    const { text } = newTokenText();
    for (const other of [
      'eyJhbGciOi.eyJzdWIi.sig',
      text.slice(0, -1),
      text.replace('baton_', 'other_'),
      '',
    ]) {
      expect(parseTokenText(other)).toBeNull();
    }
  });

  it('stores a salted scrypt hash that verifies the secret and nothing else', async () => {
    const hashed = await hashSecret('correct horse battery staple');
    expect(hashed).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(hashed).not.toContain('horse');
    expect(await verifySecret('correct horse battery staple', hashed)).toBe(true);
    expect(await verifySecret('correct horse battery stapler', hashed)).toBe(false);
    // Salted: the same secret hashes differently every time.
    expect(await hashSecret('correct horse battery staple')).not.toBe(hashed);
  });

  it('refuses a malformed hash instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$c2FsdA$aGFzaA', 'bcrypt$1$2$3$4$5']) {
      expect(await verifySecret('secret', bad)).toBe(false);
    }
  });
});
