/**
 * Which in-process handler names a `{ type: 'handler', name }` target may use.
 *
 * Extension point: the scheduler's handler registry provides `HANDLER_CATALOG` (from a global
 * module) so that the API accepts exactly the handlers that can run. Until it does, JobsService
 * falls back to {@link STATIC_HANDLER_CATALOG} over {@link KNOWN_HANDLERS}.
 */
export const HANDLER_CATALOG = Symbol('HANDLER_CATALOG');

export interface HandlerCatalog {
  has(name: string): boolean;
  names(): string[];
}

/** Built-in handlers; `log` is the default target. */
export const KNOWN_HANDLERS: readonly string[] = ['log'];

export const STATIC_HANDLER_CATALOG: HandlerCatalog = {
  has: (name) => KNOWN_HANDLERS.includes(name),
  names: () => [...KNOWN_HANDLERS],
};
