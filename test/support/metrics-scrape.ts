import type { Server } from 'node:http';
import request from 'supertest';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (the sample lines; comments skipped). */
export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line.trim());
    if (!m) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2];
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

export class MetricsSnapshot {
  constructor(readonly samples: MetricSample[]) {}

  /** The sample with this name whose labels include `labels`; 0 when absent (counters). */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.samples.find(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    return found?.value ?? 0;
  }

  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }
}

/** GET /metrics and parse it; fails the test on a non-200. */
export async function scrapeMetrics(server: Server, token?: string): Promise<MetricsSnapshot> {
  const req = request(server).get('/metrics');
  if (token) {
    req.set('Authorization', `Bearer ${token}`);
  }
  const res = await req.expect(200);
  return new MetricsSnapshot(parseMetrics(res.text));
}
