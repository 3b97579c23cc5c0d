import { Writable } from 'node:stream';

/**
 * Every JSON line the app's pino logger wrote: pass it as the LOG_DESTINATION override
 * (`override: (b) => b.overrideProvider(LOG_DESTINATION).useValue(capture)`) with LOG_LEVEL debug.
 */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  // Log records are free-form JSON; tests read fields by name.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  records(): Record<string, any>[] {
    return this.lines.map((l) => JSON.parse(l));
  }
  /** All lines as one text, to search for what must never be logged. */
  text(): string {
    return this.lines.join('\n');
  }
}
