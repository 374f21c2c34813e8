/**
 * Nest injection tokens for the adapters every Baton process shares. The
 * platform module provides them from `PlatformConfig`; services depend on the
 * ports (`EventLog`, `SqlClient`, `Clock`), never on a concrete adapter.
 */
export const EVENT_LOG = Symbol('EventLog');
export const SQL_CLIENT = Symbol('SqlClient');
export const CLOCK = Symbol('Clock');
export const PLATFORM_CONFIG = Symbol('PlatformConfig');
/** The `SecretSealer` for secret params, or null when no key is configured. */
export const SECRET_SEALER = Symbol('SecretSealer');
