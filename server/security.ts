import { randomBytes, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What keeps a local dashboard local (docs/dashboard.md "Security"): a random token in the printed URL, as
 * Jupyter does, needed by every route that changes state or starts work; the `Host` header checked against
 * the names the server answers to, so a web page elsewhere cannot reach it through DNS rebinding.
 */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/**
 * The Host values the server answers to: its own host and port; loopback names when it binds to loopback;
 * and when it binds to every interface (0.0.0.0, ::) — a tabletop room — loopback and each of the machine's
 * own addresses.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set([host]);
  const everywhere = host === '0.0.0.0' || host === '::';
  if (everywhere || host === '127.0.0.1' || host === 'localhost' || host === '::1') for (const name of ['127.0.0.1', 'localhost', '[::1]']) names.add(name);
  if (everywhere) for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  if (host.includes(':') && !host.startsWith('[')) names.add(`[${host}]`);
  return new Set([...names].map((name) => `${name}:${port}`));
}

/** Whether a presented token matches, in constant time. */
export function tokenMatches(given: unknown, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/** The token a request presents: the `x-strata-token` header, or `token` in the query (for EventSource). */
export function presentedToken(request: FastifyRequest): unknown {
  return request.headers['x-strata-token'] ?? (request.query as Record<string, unknown> | undefined)?.token;
}

export function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error: message });
}
