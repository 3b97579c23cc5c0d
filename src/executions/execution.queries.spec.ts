import { describe, expect, it } from '@jest/globals';
import { countQuery, pageQuery, totalFromPage } from './execution.queries.js';

const JOB = '00000000-0000-4000-8000-000000000001';
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-08T00:00:00Z');

describe('execution queries', () => {
  it('names each combination of filters, so each keeps its own cached plan', () => {
    expect(pageQuery({}, 0, 20).name).toBe('executions_page_all_20');
    expect(pageQuery({ jobId: JOB }, 0, 10).name).toBe('executions_page_j_10');
    expect(pageQuery({ jobId: JOB, status: 'failed' }, 0, 20).name).toBe('executions_page_js_20');
    expect(countQuery({ status: 'timeout', from: FROM, to: TO }).name).toBe('executions_count_sft');
  });

  it('gives the same statement text for the same name, whatever the values', () => {
    const a = pageQuery({ jobId: JOB, to: TO }, 0, 20);
    const b = pageQuery({ jobId: '00000000-0000-4000-8000-000000000002', to: FROM }, 0, 20);
    expect(a.name).toBe(b.name);
    expect(a.text).toBe(b.text);
  });

  it('leaves deeper pages unnamed, so a connection does not keep a statement per offset', () => {
    expect(pageQuery({ jobId: JOB }, 20, 20).name).toBeUndefined();
  });

  it('numbers the parameters in filter order and writes LIMIT and OFFSET as literals', () => {
    const q = pageQuery({ status: 'completed', from: FROM, to: TO }, 40, 20);
    expect(q.values).toEqual(['completed', FROM, TO]);
    expect(q.text).toContain('WHERE status = $1 AND started_at >= $2::timestamptz');
    expect(q.text).toContain('started_at <= $3::timestamptz');
    expect(q.text).toContain('LIMIT 20 OFFSET 40');
    expect(() => pageQuery({}, 0, 1.5)).toThrow(RangeError);
    expect(() => pageQuery({}, -20, 20)).toThrow(RangeError);
    expect(countQuery({}).text).not.toContain('WHERE');
    expect(countQuery({}).values).toEqual([]);
  });

  it('derives the total from a page that proves it, else asks for a count', () => {
    expect(totalFromPage(0, 20, 0)).toBe(0);
    expect(totalFromPage(0, 20, 7)).toBe(7);
    expect(totalFromPage(40, 20, 3)).toBe(43);
    expect(totalFromPage(0, 20, 20)).toBeNull();
    // An empty page past the end says nothing about how many rows come before it.
    expect(totalFromPage(40, 20, 0)).toBeNull();
  });
});
