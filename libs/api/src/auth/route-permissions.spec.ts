import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROLES, roleAllows, type Permission } from '@baton/auth';
import { API_CONTROLLERS } from '../api.module';
import { PERMISSION_KEY, UNSCOPED_KEY } from './access.decorator';
import { permissionOf } from './api-auth.guard';

/** Every route of the API as "METHOD path" -> what the guard requires of it. */
function routeTable(): Record<string, { permission: Permission; unscoped: boolean }> {
  const table: Record<string, { permission: Permission; unscoped: boolean }> = {};
  for (const controller of API_CONTROLLERS) {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const paths = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat();
      for (const path of paths) {
        const route = `${RequestMethod[method]} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
        table[route] = {
          permission: permissionOf(RequestMethod[method], Reflect.getMetadata(PERMISSION_KEY, handler)),
          unscoped: Reflect.getMetadata(UNSCOPED_KEY, handler) === true,
        };
      }
    }
  }
  return table;
}

describe('the role table of the routes', () => {
  it('gives viewers every GET, operators the run and queue actions, admins workflows and tokens', () => {
    const read = { permission: 'read', unscoped: false };
    const operate = { permission: 'operate', unscoped: false };
    const administer = { permission: 'administer', unscoped: false };
    expect(routeTable()).toEqual({
      'POST /api/v1/workflows': administer,
      'GET /api/v1/workflows': read,
      'GET /api/v1/workflows/:workflowId': read,
      'GET /api/v1/workflows/:workflowId/versions/:version': read,
      'POST /api/v1/workflows/:workflowId/versions/:version/activate': administer,
      'POST /api/v1/workflows/:workflowId/deactivate': administer,
      'POST /api/v1/workflows/:workflowId/runs': operate,
      'GET /api/v1/runs': read,
      'GET /api/v1/runs/:runId': read,
      'GET /api/v1/runs/:runId/children': read,
      'GET /api/v1/runs/:runId/events': read,
      'GET /api/v1/runs/:runId/steps/:stepId/logs': read,
      'GET /api/v1/events/stream': read,
      'GET /api/v1/workflows/:workflowId/queue': read,
      'POST /api/v1/workflows/:workflowId/pause': operate,
      'POST /api/v1/workflows/:workflowId/resume': operate,
      'POST /api/v1/workflows/:workflowId/unblock': operate,
      'PUT /api/v1/workflows/:workflowId/breakpoints': operate,
      'POST /api/v1/signals': { permission: 'operate', unscoped: true },
      'POST /api/v1/runs/:runId/restart': operate,
      'POST /api/v1/runs/:runId/stop': operate,
      'POST /api/v1/runs/:runId/kill': operate,
      'POST /api/v1/runs/:runId/cancel': operate,
      'POST /api/v1/runs/:runId/steps/:stepId/skip': operate,
      'POST /api/v1/runs/:runId/steps/:stepId/resume': operate,
      'POST /api/v1/tokens': { permission: 'administer', unscoped: true },
      'GET /api/v1/tokens': { permission: 'administer', unscoped: true },
      'DELETE /api/v1/tokens/:tokenId': { permission: 'administer', unscoped: true },
      'GET /api/v1/auth/me': read,
      'POST /api/v1/import/maestro': read,
    });
  });

  it('closes a route nobody classified: a GET needs read, anything else administer', () => {
    expect(permissionOf('GET', undefined)).toBe('read');
    expect(permissionOf('HEAD', undefined)).toBe('read');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(permissionOf(method, undefined)).toBe('administer');
    expect(ROLES.filter((role) => roleAllows(role, 'administer'))).toEqual(['admin']);
  });
});
