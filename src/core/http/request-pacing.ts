import type { NextFunction, Request, Response } from 'express';

/** Requests that may start their (synchronous) handling in one turn of the event loop. */
const STARTS_PER_TURN = 2;

/**
 * Paces the start of HTTP requests: at most STARTS_PER_TURN begin in one event-loop turn, the
 * rest wait in arrival order (a parked request costs a closure) and start in later turns. The
 * API shares its event loop with the scheduler's timers; when hundreds of requests arrive at
 * once, running all their middleware, guards and handlers back to back held the loop for over
 * 100 ms, so every slot due meanwhile fired that late (issue 20's trigger storm). Paced, a timer
 * waits for at most a couple of requests' work. Throughput is the same: the work is CPU-bound
 * either way, and an idle loop turns in microseconds.
 */
export function requestPacing(): (req: Request, res: Response, next: NextFunction) => void {
  const waiting: NextFunction[] = [];
  let startedThisTurn = 0;
  let turnScheduled = false;

  const nextTurn = (): void => {
    turnScheduled = false;
    startedThisTurn = 0;
    while (waiting.length > 0 && startedThisTurn < STARTS_PER_TURN) {
      startedThisTurn++;
      (waiting.shift() as NextFunction)();
    }
    scheduleTurn();
  };

  const scheduleTurn = (): void => {
    if (!turnScheduled && (waiting.length > 0 || startedThisTurn > 0)) {
      turnScheduled = true;
      // setImmediate runs after this turn's I/O and before the next turn's timers.
      setImmediate(nextTurn);
    }
  };

  return (_req, _res, next) => {
    if (waiting.length === 0 && startedThisTurn < STARTS_PER_TURN) {
      startedThisTurn++;
      scheduleTurn();
      next();
      return;
    }
    waiting.push(next);
    scheduleTurn();
  };
}
