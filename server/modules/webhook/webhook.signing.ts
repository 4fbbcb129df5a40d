import { createHmac, randomBytes } from 'node:crypto';

/**
 * Delivery signatures. Standard Webhooks (https://www.standardwebhooks.com, spec v1):
 *
 *   webhook-id:        the event id, the same on every retry (the receiver's idempotency key)
 *   webhook-timestamp: Unix seconds of the attempt (receivers refuse stale ones: replay protection)
 *   webhook-signature: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, space-separated
 *                      when more than one secret is valid (after a rotation, for its grace period)
 *
 * with the secret written `whsec_<base64 key>`, so the `standardwebhooks` libraries verify it as
 * is. `X-RestockRadar-Signature: sha256=<hex HMAC-SHA256(secret text, body)>` is still sent for
 * receivers written before, during its deprecation (docs/api.md, "Webhooks").
 */
export const LEGACY_SIGNATURE_HEADER = 'X-RestockRadar-Signature';

/** A new secret: `whsec_` + 32 random bytes in base64 (the key receivers decode). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The HMAC key of a secret: its base64 part decoded (secrets issued before 2026-12 are base64url, which decodes the same way). */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** `sha256=<hex HMAC of the raw body>` keyed with the secret text: the deprecated header. */
export const legacySignature = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** One Standard Webhooks signature: `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`. */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The signing headers of one attempt. `secrets` lists every valid secret, current first; the
 * legacy header is signed with the current one.
 */
export function signingHeaders(secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => standardSignature(s, id, timestamp, body)).join(' '),
    [LEGACY_SIGNATURE_HEADER]: legacySignature(secrets[0], body),
  };
}
