import { RE2JS } from 're2js';

/**
 * HTTP success criteria of a target (design 7.3): which statuses count as success and what the
 * body must hold. Patterns run on RE2JS, a linear-time engine (no backtracking), over at most the
 * 4 KB of body an execution keeps, so no pattern can hang the process.
 */

export const DEFAULT_SUCCESS_STATUS: (number | string)[] = ['2xx'];
export const EXPECT_BODY_MAX = 200;

const STATUS_CLASS = /^[1-5]xx$/;
const REGEX_FORM = /^\/(.*)\/([ims]*)$/s;

/** Why `entry` is not a status code or class, or null. */
export function successStatusProblem(entry: unknown): string | null {
  if (typeof entry === 'number') {
    return Number.isInteger(entry) && entry >= 100 && entry <= 599
      ? null
      : 'codes must be integers from 100 to 599';
  }
  if (typeof entry === 'string' && STATUS_CLASS.test(entry)) {
    return null;
  }
  return 'each entry must be a status code (100..599) or a class such as "2xx"';
}

export function statusAccepted(status: number, accepted: (number | string)[]): boolean {
  return accepted.some((a) =>
    typeof a === 'number' ? a === status : Number(a[0]) === Math.floor(status / 100),
  );
}

export interface BodyMatcher {
  test(body: string): boolean;
  /** How the expectation reads in an error message. */
  describe(): string;
}

/** Compiled patterns, reused: a job firing every second compiles its pattern once. */
const compiled = new Map<string, BodyMatcher>();
const MAX_COMPILED = 1000;

function compile(expect: string): BodyMatcher {
  const regex = REGEX_FORM.exec(expect);
  if (!regex) {
    return {
      test: (body) => body.includes(expect),
      describe: () => `does not contain ${JSON.stringify(expect)}`,
    };
  }
  const flags =
    (regex[2].includes('i') ? RE2JS.CASE_INSENSITIVE : 0) |
    (regex[2].includes('m') ? RE2JS.MULTILINE : 0) |
    (regex[2].includes('s') ? RE2JS.DOTALL : 0);
  const pattern = RE2JS.compile(regex[1], flags);
  return {
    test: (body) => pattern.matcher(body).find(),
    describe: () => `does not match ${expect}`,
  };
}

/** The matcher of an `expectBody` value; throws (RE2JS syntax error) for a bad pattern. */
export function bodyMatcher(expect: string): BodyMatcher {
  let m = compiled.get(expect);
  if (!m) {
    m = compile(expect);
    if (compiled.size >= MAX_COMPILED) {
      compiled.clear();
    }
    compiled.set(expect, m);
  }
  return m;
}

/** Why `expect` cannot be used (too long, or a pattern RE2 refuses), or null. */
export function expectBodyProblem(expect: string): string | null {
  if (expect.length < 1 || expect.length > EXPECT_BODY_MAX) {
    return `must be 1..${EXPECT_BODY_MAX} characters`;
  }
  try {
    bodyMatcher(expect);
    return null;
  } catch (e) {
    return `is not a supported regular expression (RE2 syntax: no backreferences or lookaround): ${(e as Error).message}`;
  }
}

/** Why a response fails the criteria (the attempt's errorMessage), or null when it succeeds. */
export function responseProblem(
  status: number,
  body: string,
  criteria: { successStatus?: (number | string)[]; expectBody?: string },
): string | null {
  const accepted = criteria.successStatus ?? DEFAULT_SUCCESS_STATUS;
  if (!statusAccepted(status, accepted)) {
    return `HTTP ${status} from target (expected ${accepted.join(', ')})`;
  }
  if (criteria.expectBody !== undefined) {
    const m = bodyMatcher(criteria.expectBody);
    if (!m.test(body)) {
      return `HTTP ${status} from target, but the response body ${m.describe()} (expectBody)`;
    }
  }
  return null;
}
