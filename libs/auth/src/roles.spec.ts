import { inScope, principalCan, type Principal } from './principal';
import { ROLE_PERMISSIONS, ROLES, roleAllows } from './roles';

describe('roles', () => {
  it('grant each role its own permission and every lower one (the README table)', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin']);
    expect(ROLE_PERMISSIONS).toEqual({
      viewer: ['read'],
      operator: ['read', 'operate'],
      admin: ['read', 'operate', 'administer'],
    });
    expect(roleAllows('viewer', 'operate')).toBe(false);
    expect(roleAllows('operator', 'administer')).toBe(false);
    expect(roleAllows('admin', 'administer')).toBe(true);
  });

  it('scope a principal to workflow-id prefixes, or to every workflow', () => {
    const sales: Principal = { subject: 'token:1', role: 'operator', scopes: ['sales.'] };
    expect(principalCan(sales, 'operate')).toBe(true);
    expect(inScope(sales, 'sales.daily')).toBe(true);
    expect(inScope(sales, 'salesforce.sync')).toBe(false);
    expect(inScope(sales, 'ops.backup')).toBe(false);
    expect(inScope({ ...sales, scopes: null }, 'ops.backup')).toBe(true);
    expect(inScope({ ...sales, scopes: [] }, 'sales.daily')).toBe(false);
  });
});
