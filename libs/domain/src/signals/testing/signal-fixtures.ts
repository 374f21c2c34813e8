import type { JsonObject } from '../../shared/json';
import type { SignalSent, SignalWaitClosed, SignalWaitOpened } from '../signal.messages';

export const NAME = 'table.loaded';
export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/** Records of `baton.signals` for one signal name, with short defaults. */
export const rec = {
  opened(runId: string, match: JsonObject = {}, stepId = 'wait', attempt = 1): SignalWaitOpened {
    return { type: 'SignalWaitOpened', name: NAME, runId, stepId, attempt, match };
  },
  closed(runId: string, stepId = 'wait', attempt = 1): SignalWaitClosed {
    return { type: 'SignalWaitClosed', name: NAME, runId, stepId, attempt };
  },
  sent(signalId: string, params: JsonObject = {}): SignalSent {
    return { type: 'SignalSent', signalId, name: NAME, params, sentAt: T0 };
  },
};
