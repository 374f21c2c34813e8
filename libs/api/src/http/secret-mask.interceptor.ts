import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { maskSecretTokens } from '@baton/contracts';

/**
 * Every API answer shows sealed secrets and secret references as `***`. The
 * read model keeps the tokens (ciphertext, useless without the key, and what
 * a restart needs); nobody reading the API needs even that.
 */
@Injectable()
export class SecretMaskInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((body: unknown) => maskSecretTokens(body as never)));
  }
}
