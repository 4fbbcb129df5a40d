import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { registerEnumType } from 'type-graphql';
import { isBlockedAddress, BlockedAddressError, type WebhookTargets } from './webhook.targets';

/**
 * What the delivery log tells the tenant about a failed attempt: a class, never the receiver's
 * body or the network's error text (which would describe the server's network to the tenant).
 */
export const WEBHOOK_FAILURES = [
  'BLOCKED_ADDRESS',
  'DNS_FAILURE',
  'CONNECTION_REFUSED',
  'CONNECTION_RESET',
  'TIMEOUT',
  'TLS_ERROR',
  'HTTP_3XX',
  'HTTP_4XX',
  'HTTP_5XX',
  'NETWORK_ERROR',
  'WEBHOOK_DELETED',
  'INTERRUPTED',
] as const;
export type WebhookFailure = (typeof WEBHOOK_FAILURES)[number];

export const WebhookFailureEnum = Object.fromEntries(WEBHOOK_FAILURES.map((f) => [f, f])) as { [K in WebhookFailure]: K };
registerEnumType(WebhookFailureEnum, {
  name: 'WebhookFailure',
  description: 'Why a delivery attempt failed, as a class (the receiver’s response and network details are not shown).',
  valuesConfig: {
    BLOCKED_ADDRESS: { description: 'The URL resolves to a loopback, private, link-local, multicast, reserved or metadata address.' },
    DNS_FAILURE: { description: 'The host name did not resolve.' },
    CONNECTION_REFUSED: { description: 'Nothing accepted the connection.' },
    CONNECTION_RESET: { description: 'The connection was closed before a response arrived.' },
    TIMEOUT: { description: 'No response within the delivery timeout (10 s by default).' },
    TLS_ERROR: { description: 'The TLS handshake failed (certificate or protocol).' },
    HTTP_3XX: { description: 'The receiver answered with a redirect; redirects are not followed.' },
    HTTP_4XX: { description: 'The receiver answered 4xx.' },
    HTTP_5XX: { description: 'The receiver answered 5xx.' },
    NETWORK_ERROR: { description: 'Any other network failure.' },
    WEBHOOK_DELETED: { description: 'The webhook was deleted before the attempt.' },
    INTERRUPTED: { description: 'The server stopped during the attempt; the delivery is retried as the next attempt.' },
  },
});

/** The failure class of an HTTP status (null for 2xx). */
export function statusFailure(status: number): WebhookFailure | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return 'HTTP_3XX';
  if (status >= 400 && status < 500) return 'HTTP_4XX';
  return 'HTTP_5XX';
}

/** The failure class of a thrown network error (Node's error codes). */
export function errorFailure(e: unknown): WebhookFailure {
  if (e instanceof BlockedAddressError) return 'BLOCKED_ADDRESS';
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'ETIMEDOUT') return 'TIMEOUT';
  const code = String(err?.code ?? '');
  if (code === 'ECONNREFUSED') return 'CONNECTION_REFUSED';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA') return 'DNS_FAILURE';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'CONNECTION_RESET';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|EPROTO)/.test(code)) return 'TLS_ERROR';
  return 'NETWORK_ERROR';
}

/**
 * POSTs `body` to `url` once: no redirect is followed, the connection goes only to an address the
 * targets allow (checked here for IP literals, in the `lookup` hook for names), and the receiver's
 * body is discarded unread. Resolves with the status; rejects with the network error.
 */
export function postOnce(
  targets: WebhookTargets,
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!targets.allowed(url) && isIP(literal) && isBlockedAddress(literal)) return Promise.reject(new BlockedAddressError(literal));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: targets.lookupFor(url),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        // The status is all that is kept: the body is drained unread (bounded by the same timeout).
        resolve(res.statusCode ?? 0);
        res.on('error', () => {});
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
