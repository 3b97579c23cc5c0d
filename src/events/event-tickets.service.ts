import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac, createSecretKey, randomUUID } from 'node:crypto';
import { UnauthorizedError } from '../auth/auth.errors.js';
import type { AppConfig } from '../config/app-config.js';
import type { AuthUser } from '../core/http/request-context.js';

export const TICKET_TTL_S = 30;
const AUDIENCE = 'scheduler-events';
/** The JwtService that signs tickets (not the one of access tokens). */
export const TICKET_JWT = Symbol('TICKET_JWT');

/** A key derived from JWT_SECRET for tickets only, with their audience and lifetime. */
export function ticketJwt(config: AppConfig): JwtService {
  return new JwtService({
    secret: createSecretKey(createHmac('sha256', config.auth.jwtSecret).update(AUDIENCE).digest()),
    signOptions: { audience: AUDIENCE, expiresIn: TICKET_TTL_S },
    verifyOptions: { audience: AUDIENCE },
  });
}

interface TicketClaims {
  sub: string;
  username: string;
  role: AuthUser['role'];
  jti: string;
}

/**
 * Tickets for the event stream: `EventSource` cannot send an Authorization header, and a
 * long-lived bearer token in a URL ends up in logs and history. A ticket is a JWT signed with a
 * key derived from JWT_SECRET (so an access token is never a ticket, nor the reverse), valid for
 * TICKET_TTL_S and redeemable once on a replica (any replica can verify it).
 */
@Injectable()
export class EventTicketsService {
  /** jti -> expiry (ms) of the tickets already redeemed here. */
  private readonly redeemed = new Map<string, number>();

  constructor(@Inject(TICKET_JWT) private readonly jwt: JwtService) {}

  issue(user: AuthUser): Promise<string> {
    const claims: TicketClaims = {
      sub: user.sub,
      username: user.username,
      role: user.role,
      jti: randomUUID(),
    };
    return this.jwt.signAsync(claims);
  }

  /** The user a ticket was issued to; 401 for a forged, expired or already used ticket. */
  async redeem(ticket: string): Promise<AuthUser> {
    let claims: TicketClaims;
    try {
      claims = await this.jwt.verifyAsync<TicketClaims>(ticket);
    } catch {
      throw new UnauthorizedError('The event ticket is invalid or expired');
    }
    const now = Date.now();
    for (const [jti, expiry] of this.redeemed) {
      if (expiry <= now) {
        this.redeemed.delete(jti);
      }
    }
    if (this.redeemed.has(claims.jti)) {
      throw new UnauthorizedError('The event ticket was already used');
    }
    this.redeemed.set(claims.jti, now + TICKET_TTL_S * 1000);
    return { sub: claims.sub, username: claims.username, role: claims.role };
  }
}
