// Who the signed-in token is. Asks GET /api/v1/auth/me once per token; an API
// without that route (404) leaves every action shown, and an action the token
// may not take answers 403, which the action's dialog shows in words.
import { useEffect, useState } from 'preact/hooks';
import { get, token } from './api';

export interface Role {
  /** Null while unknown (no "who am I" route, or not asked yet). */
  readonly name: string | null;
  readonly subject: string | null;
  readonly canAct: boolean;
}

const UNKNOWN: Role = { name: null, subject: null, canAct: true };
let cached: { token: string | null; role: Promise<Role> } | null = null;

export function loadRole(): Promise<Role> {
  const current = token.get();
  if (cached && cached.token === current) return cached.role;
  const role = get<{ role?: string; roles?: string[]; subject?: string; name?: string }>('/auth/me').then(
    (me) => {
      const names = me.roles ?? (me.role ? [me.role] : []);
      const name = names[0] ?? null;
      return {
        name,
        subject: me.subject ?? me.name ?? null,
        canAct: names.length === 0 || names.some((r) => r !== 'viewer' && r !== 'read'),
      };
    },
    // No such route (404) or no token yet (401, which also opens the sign-in form): unknown.
    () => UNKNOWN,
  );
  cached = { token: current, role };
  return role;
}

export function forgetRole(): void {
  cached = null;
}

export function useRole(): Role {
  const [role, setRole] = useState<Role>(UNKNOWN);
  useEffect(() => {
    let live = true;
    void loadRole().then((r) => live && setRole(r));
    return () => {
      live = false;
    };
  }, [token.get()]);
  return role;
}
