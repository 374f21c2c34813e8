import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { Permission } from '@baton/auth';

export const PERMISSION_KEY = 'baton:permission';
export const UNSCOPED_KEY = 'baton:unscoped';

/**
 * The permission a route needs (see `ROLE_PERMISSIONS`). Without it, a GET
 * needs `read` and anything else `administer`: a new mutating route forgotten
 * here is closed, not open.
 */
export function Requires(permission: Permission): MethodDecorator {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiForbiddenResponse({ description: `Needs a role with the ${permission} permission` }),
  );
}

/**
 * A route whose effect reaches every workflow (signals, tokens): refused to a
 * principal scoped to some workflow prefixes.
 */
export function Unscoped(): MethodDecorator {
  return SetMetadata(UNSCOPED_KEY, true);
}
