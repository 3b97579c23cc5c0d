/** Who made a change: a signed-in user, an API key, or the service itself (no request). */
export interface AuditActor {
  type: 'user' | 'api_key' | 'system';
  /** The user's or the key's id; null for the system. */
  id: string | null;
  /** The user name, or the key's public prefix (`sk_ab12cd34`), or `system`. */
  name: string;
}

/**
 * One change to record. `action` is `<resource>.<verb>` (`job.update`, `job.bulk_delete`,
 * `calendar.create`); `before`/`after` are the resource's fields as the API shows them (the
 * service keeps only those that changed and redacts secrets). `actor` and `requestId` default to
 * the request being served.
 */
export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  actor?: AuditActor;
  /** Recorded even when no field changed (a trigger, a revocation). Default: true. */
  always?: boolean;
}
