import { describe, expect, it } from 'vitest';
import { bodyFromForm, emptyForm, formFieldOf, PayloadError } from './jobForm';

describe('bodyFromForm', () => {
  it('sends the chosen timing and clears the others', () => {
    const body = bodyFromForm({
      ...emptyForm('UTC'),
      name: ' two-seconds ',
      cronExpression: '*/2 * * * * *',
      tags: 'a, b,,',
    });
    expect(body).toMatchObject({
      name: 'two-seconds',
      cronExpression: '*/2 * * * * *',
      intervalMs: null,
      runAt: null,
      target: { type: 'handler', name: 'log' },
      tags: ['a', 'b'],
      timeoutMs: 30000,
    });
  });

  it('turns seconds into intervalMs and builds an http target', () => {
    const body = bodyFromForm({
      ...emptyForm('UTC'),
      jobType: 'recurring',
      timing: 'interval',
      intervalSeconds: '1.5',
      targetType: 'http',
      url: 'https://example.com/hook',
      method: 'PUT',
    });
    expect(body).toMatchObject({
      intervalMs: 1500,
      cronExpression: null,
      target: { type: 'http', url: 'https://example.com/hook', method: 'PUT' },
    });
  });

  it('refuses a payload that is not JSON', () => {
    expect(() => bodyFromForm({ ...emptyForm('UTC'), payload: '{nope' })).toThrow(PayloadError);
  });
});

describe('formFieldOf', () => {
  it('maps API fields to the inputs that show them', () => {
    expect(formFieldOf('cronExpression')).toBe('cronExpression');
    expect(formFieldOf('intervalMs')).toBe('intervalSeconds');
    expect(formFieldOf('target.url')).toBe('url');
    expect(formFieldOf('tags.3')).toBe('tags');
    expect(formFieldOf('somethingElse')).toBeNull();
  });
});
