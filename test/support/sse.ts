/** A server-sent event as the browser's EventSource would dispatch it. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Reads an event stream with fetch (the wire format, parsed here independently of the server's
 * code): `events` collects every dispatched event; `close()` aborts the request.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  contentType = '';
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  static async open(url: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { signal: client.abort.signal });
    client.status = res.status;
    client.contentType = res.headers.get('content-type') ?? '';
    if (res.ok && res.body) {
      client.done = client.read(res.body).catch(() => undefined);
    }
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) {
            continue;
          }
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'event') {
            event.event = value;
          } else if (field === 'data') {
            data.push(value);
          } else if (field === 'id') {
            event.id = value;
          }
        }
        if (data.length > 0) {
          event.data = data.join('\n');
          this.events.push(event);
        }
      }
    }
  }

  /** Events of a kind, their data parsed as JSON. */
  of<T = Record<string, unknown>>(name: string): T[] {
    return this.events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as T);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
