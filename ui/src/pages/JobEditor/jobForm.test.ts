import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/client';
import { localInputOf } from '../../lib/fieldErrors';
import {
  alertsFromForm,
  bodyFromForm,
  emptyForm,
  FormInputError,
  formFieldOf,
  formFromJob,
  PayloadError,
  previewBodyFromForm,
} from './jobForm';

/** The fields formFromJob reads, as the API answers them. */
const jobLike = {
  name: 'nightly',
  description: null,
  jobType: 'scheduled',
  cronExpression: '0 2 * * *',
  intervalMs: null,
  runAt: null,
  timezone: 'UTC',
  isActive: true,
  target: { type: 'handler', name: 'log' },
  payload: {},
  timeoutMs: 30000,
  maxRetries: 0,
  retryDelayMs: 1000,
  retryBackoff: 'fixed',
  concurrencyPolicy: 'forbid',
  misfirePolicy: 'fire_once',
  tags: [],
  startAt: null,
  endAt: null,
  jitterMs: 0,
  maxRuns: null,
  excludeCalendars: [],
  autoPauseAfterFailures: null,
  alerts: null,
} as unknown as Job;

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

describe('schedule controls', () => {
  it('sends the window as instants, numbers typed, empty limits as null (an edit clears them)', () => {
    const body = bodyFromForm({
      ...emptyForm('UTC'),
      startAt: localInputOf('2030-01-01T08:00:00Z'),
      endAt: '',
      jitterMs: '1500',
      maxRuns: '',
      autoPauseAfterFailures: '5',
      excludeCalendars: ['0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11'],
    });
    expect(body).toMatchObject({
      startAt: '2030-01-01T08:00:00.000Z',
      endAt: null,
      jitterMs: 1500,
      maxRuns: null,
      autoPauseAfterFailures: 5,
      excludeCalendars: ['0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11'],
    });
  });

  it('reads them back from a job', () => {
    const form = formFromJob({
      ...jobLike,
      startAt: '2030-01-01T08:00:00.000Z',
      endAt: null,
      jitterMs: 250,
      maxRuns: 10,
      autoPauseAfterFailures: null,
      excludeCalendars: ['c1'],
    });
    expect(form).toMatchObject({
      startAt: localInputOf('2030-01-01T08:00:00.000Z'),
      endAt: '',
      jitterMs: '250',
      maxRuns: '10',
      autoPauseAfterFailures: '',
      excludeCalendars: ['c1'],
    });
    expect(bodyFromForm(form)).toMatchObject({ startAt: '2030-01-01T08:00:00.000Z', maxRuns: 10 });
  });

  it('maps their API errors to their inputs', () => {
    expect(formFieldOf('endAt')).toBe('endAt');
    expect(formFieldOf('excludeCalendars')).toBe('excludeCalendars');
    expect(formFieldOf('jitterMs')).toBe('jitterMs');
  });
});

const CH1 = '3f1c2a9e-8b7d-4c7a-9f0e-2d4b6a8c1e5f';
const CH2 = '0b7c6a52-7d43-4f8e-9d2a-6a1f5f2d0c11';

describe('alerts', () => {
  it('sends null while no channel is chosen, whatever else is set (create and update turn them off)', () => {
    expect(bodyFromForm(emptyForm('UTC')).alerts).toBeNull();
    expect(
      bodyFromForm({
        ...emptyForm('UTC'),
        alertOnFailure: false,
        missedAfterMinutes: '5',
        noSuccessWithinMinutes: 'not a number',
      }).alerts,
    ).toBeNull();
  });

  it('sends the object once a channel is chosen, minutes as ms, empty windows as null', () => {
    expect(
      bodyFromForm({
        ...emptyForm('UTC'),
        alertChannels: [CH1, CH2],
        alertOnRecovery: false,
        missedAfterMinutes: ' 1.5 ',
        noSuccessWithinMinutes: '',
      }).alerts,
    ).toEqual({
      channels: [CH1, CH2],
      onFailure: true,
      onRecovery: false,
      onAutoPause: true,
      missedAfterMs: 90_000,
      noSuccessWithinMs: null,
    });
    expect(
      alertsFromForm({ ...emptyForm('UTC'), alertChannels: [CH1], noSuccessWithinMinutes: '60' }),
    ).toMatchObject({ missedAfterMs: null, noSuccessWithinMs: 3_600_000 });
  });

  it('refuses minutes that are not a number beside their input, and the preview waits', () => {
    const form = { ...emptyForm('UTC'), alertChannels: [CH1], missedAfterMinutes: 'ten' };
    const thrown = (() => {
      try {
        bodyFromForm(form);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(FormInputError);
    expect((thrown as FormInputError).field).toBe('missedAfterMinutes');
    expect(previewBodyFromForm(form)).toBeNull();
  });

  it('fills the section from the job, ms as minutes, and round-trips it', () => {
    const alerts = {
      channels: [CH1],
      onFailure: false,
      onRecovery: true,
      onAutoPause: false,
      missedAfterMs: 30_000,
      noSuccessWithinMs: 7_200_000,
    };
    const form = formFromJob({ ...jobLike, alerts });
    expect(form).toMatchObject({
      alertChannels: [CH1],
      alertOnFailure: false,
      alertOnRecovery: true,
      alertOnAutoPause: false,
      missedAfterMinutes: '0.5',
      noSuccessWithinMinutes: '120',
    });
    expect(bodyFromForm(form).alerts).toEqual(alerts);
  });

  it('reads a job without alerts as none chosen, the events on (the API defaults)', () => {
    const form = formFromJob({ ...jobLike, alerts: null });
    expect(form).toMatchObject({
      alertChannels: [],
      alertOnFailure: true,
      alertOnRecovery: true,
      alertOnAutoPause: true,
      missedAfterMinutes: '',
      noSuccessWithinMinutes: '',
    });
    expect(bodyFromForm(form).alerts).toBeNull();
  });

  it('maps their API errors to their inputs', () => {
    expect(formFieldOf('alerts')).toBe('alertChannels');
    expect(formFieldOf('alerts.channels')).toBe('alertChannels');
    expect(formFieldOf('alerts.channels.2')).toBe('alertChannels');
    expect(formFieldOf('alerts.onFailure')).toBe('alertOnFailure');
    expect(formFieldOf('alerts.missedAfterMs')).toBe('missedAfterMinutes');
    expect(formFieldOf('alerts.noSuccessWithinMs')).toBe('noSuccessWithinMinutes');
    // An unknown sub-field of alerts still lands in the section, beside the channels.
    expect(formFieldOf('alerts.other')).toBe('alertChannels');
  });
});

describe('previewBodyFromForm', () => {
  it('stands in a name while none is typed and waits for a payload that parses', () => {
    expect(previewBodyFromForm(emptyForm('UTC'))).toMatchObject({ name: 'draft' });
    expect(previewBodyFromForm({ ...emptyForm('UTC'), name: 'mine' })).toMatchObject({
      name: 'mine',
    });
    expect(previewBodyFromForm({ ...emptyForm('UTC'), payload: '{nope' })).toBeNull();
  });
});
