import { Injectable } from '@nestjs/common';

/** The one source of "now" for services, so tests can pin time without fake timers. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
  nowMs(): number {
    return Date.now();
  }
}
