import { roleAllows, type Permission, type Role } from './roles';

/**
 * Who made a request, once authenticated. `subject` is what the audit trail
 * records (`by` on commands and events): `token:<id>` for an API token,
 * `oidc:<sub>` for an identity provider's JWT, `env:BATON_ADMIN_TOKEN` for
 * the deployment's admin token, `anonymous` when auth is off.
 */
export interface Principal {
  readonly subject: string;
  readonly role: Role;
  /**
   * Workflow-id prefixes the principal may touch (`sales.` covers
   * `sales.daily`); null for every workflow.
   */
  readonly scopes: readonly string[] | null;
}

export function principalCan(principal: Principal, permission: Permission): boolean {
  return roleAllows(principal.role, permission);
}

/** Whether the principal may touch runs and versions of `workflowId`. */
export function inScope(principal: Principal, workflowId: string): boolean {
  return principal.scopes === null || principal.scopes.some((prefix) => workflowId.startsWith(prefix));
}

/** True for a principal limited to some workflows (it may not do what reaches every workflow). */
export function isScoped(principal: Principal): boolean {
  return principal.scopes !== null;
}

/** The principal when auth is off (`BATON_AUTH=off`): may do everything, recorded as anonymous. */
export const ANONYMOUS_ADMIN: Principal = { subject: 'anonymous', role: 'admin', scopes: null };
