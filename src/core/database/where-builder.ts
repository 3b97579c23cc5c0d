/**
 * The one WHERE builder: `WHERE a AND b` (or nothing) from conditions whose `$n` placeholders
 * follow `params`. `key` names the combination of conditions present (for named statements, one
 * per combination, so a cached plan never carries an `IS NULL OR` branch).
 */
export class WhereBuilder {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];
  private readonly tags: string[] = [];

  /** `sql(p)` receives the placeholder (`$3`) of `value`; `tag` names the condition in `key`. */
  add(value: unknown, sql: (placeholder: string) => string, tag = ''): this {
    this.params.push(value);
    this.parts.push(sql(`$${this.params.length}`));
    this.tags.push(tag);
    return this;
  }

  /** The tags of the conditions present, in order ('all' when none). */
  get key(): string {
    return this.tags.join('') || 'all';
  }

  /** The next free placeholder, for LIMIT / OFFSET after the conditions. */
  next(offset = 1): string {
    return `$${this.params.length + offset}`;
  }

  get sql(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
