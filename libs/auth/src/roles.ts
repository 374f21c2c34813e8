/**
 * What a principal may do. Each route of the API needs one permission; a
 * role grants a set of them (`ROLE_PERMISSIONS`, the table the README shows).
 * - `read`: every GET, the SSE stream.
 * - `operate`: start, kill, stop, restart, skip, resume, signal, pause/resume/unblock a workflow queue.
 * - `administer`: push, activate and deactivate workflows, breakpoints, manage API tokens.
 */
export const PERMISSIONS = ['read', 'operate', 'administer'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Each role grants its own permission and every lower one. */
export const ROLE_PERMISSIONS = {
  viewer: ['read'],
  operator: ['read', 'operate'],
  admin: ['read', 'operate', 'administer'],
} as const satisfies Record<string, readonly Permission[]>;

export type Role = keyof typeof ROLE_PERMISSIONS;
/** Derived from the table, so a new role cannot be left out of validation. */
export const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}
