/**
 * Where the API is and how to authenticate. Both live in the document's properties: custom
 * functions recalculate for every collaborator of the sheet and can only read what the document
 * (not each user) holds. The last URL a user connected to is remembered in their user properties
 * to pre-fill Connect in their next sheet.
 */
export interface Connection {
  url: string;
  apiKey: string;
  marketplace: string;
}

const KEY_URL = 'RR_API_URL';
const KEY_API_KEY = 'RR_API_KEY';
const KEY_MARKETPLACE = 'RR_MARKETPLACE';
const KEY_LAST_URL = 'RR_LAST_API_URL';

/** Normalises what a planner types: trims, adds https://, makes the path end at /graphql. */
export function normaliseApiUrl(input: string): string {
  let u = input.trim();
  if (!u) throw new Error('Enter the API address, e.g. https://radar.example.com');
  if (!/^https?:\/\//i.test(u)) u = `https://${u}`;
  const m = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?$/i.exec(u);
  if (!m) throw new Error(`"${input}" is not a web address`);
  let path = (m[3] ?? '/').replace(/\/+$/, '');
  if (!path.endsWith('/graphql')) path = `${path}/graphql`;
  return `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${path}`;
}

export function readConnection(): Connection | null {
  const props = PropertiesService.getDocumentProperties();
  const url = props.getProperty(KEY_URL);
  const apiKey = props.getProperty(KEY_API_KEY);
  if (!url || !apiKey) return null;
  return { url, apiKey, marketplace: props.getProperty(KEY_MARKETPLACE) || 'US' };
}

export function requireConnection(): Connection {
  const c = readConnection();
  if (!c) throw new Error('Not connected: use Extensions › Restock Radar › Connect… first.');
  return c;
}

export function saveConnection(c: Connection): void {
  PropertiesService.getDocumentProperties().setProperties({ [KEY_URL]: c.url, [KEY_API_KEY]: c.apiKey, [KEY_MARKETPLACE]: c.marketplace });
  PropertiesService.getUserProperties().setProperty(KEY_LAST_URL, c.url);
}

export function lastUsedUrl(): string | null {
  return PropertiesService.getUserProperties().getProperty(KEY_LAST_URL);
}

/** A key is shown only by its last 4 characters. */
export function maskKey(key: string): string {
  return key.length <= 4 ? '••••' : `••••${key.slice(-4)}`;
}
