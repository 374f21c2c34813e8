import { sealSecretParams, type SecretSealer } from '@baton/contracts';
import type { JsonObject, WorkflowDefinition } from '@baton/domain';
import { InvalidRequestError } from '../http/api.errors';

/**
 * Seals a run's secret params before the API publishes anything (see
 * `sealSecretParams`); a 400 naming the setting when a secret arrives and
 * this API holds no key. Call it after `checkRunParams` (types are checked).
 */
export class ParamSealer {
  constructor(private readonly sealer: SecretSealer | null) {}

  seal(definition: WorkflowDefinition, params: JsonObject): JsonObject {
    const sealed = sealSecretParams(definition, params, this.sealer);
    if (sealed.ok) return sealed.params;
    const message =
      `param '${sealed.param}' is secret and this API holds no secrets key to seal it: ` +
      'set BATON_SECRETS_KEY (or BATON_SECRETS_KEY_FILE) on the API, or pass a reference env:NAME / file:PATH';
    throw new InvalidRequestError(message, [{ path: `$.params.${sealed.param}`, message }]);
  }
}
