/** Alerts for the sidebar (open ones, acknowledge with a cause, resolve) and the "Pull alerts" sheet. */
import { gql, paginate } from './api';
import { dateCell } from './format';
import { requireConnection } from './settings';
import { ALERT_CAUSES, type AlertCause } from './alertCauses';
import { STATUS_CURRENT, type TableSpec, type WriteResult, writeTable } from './table';
import openAlertsQuery from '../../schema/operations/OpenAlerts.graphql?raw';
import acknowledgeMutation from '../../schema/operations/AcknowledgeAlert.graphql?raw';
import resolveMutation from '../../schema/operations/ResolveAlert.graphql?raw';

export interface AlertNode {
  id: string;
  kind: string;
  level: string;
  status: string;
  subjectType: string;
  subjectId: string;
  subjectLabel: string | null;
  title: string;
  message: string;
  openedAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  cause: string | null;
  note: string | null;
  explanation: { text: string } | null;
}

/** What the sidebar gets (google.script.run: JSON-safe, times as epoch ms). */
export interface AlertItem {
  id: string;
  kind: string;
  level: string;
  title: string;
  subject: string;
  detail: string;
  explanation: string;
  openedAt: number;
  updatedAt: number;
}

export function parseCause(v: unknown): AlertCause {
  const t = typeof v === 'string' ? v.trim().toUpperCase() : '';
  const hit = ALERT_CAUSES.find((c) => c.value === t);
  if (!hit) throw new Error(`cause must be one of ${ALERT_CAUSES.map((c) => c.value).join(', ')}, got ${JSON.stringify(v ?? null)}`);
  return hit.value;
}

/** Longest explanation kept in the sidebar or a cell (Sheets caps a cell at 50,000 characters). */
export const EXPLANATION_MAX = 20_000;

export function clip(text: string | null | undefined, max = EXPLANATION_MAX): string {
  if (!text) return '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function toItem(a: AlertNode): AlertItem {
  return {
    id: a.id,
    kind: a.kind,
    level: a.level,
    title: a.title,
    subject: a.subjectLabel ?? `${a.subjectType.toLowerCase()} ${a.subjectId}`,
    detail: a.message,
    explanation: clip(a.explanation?.text, 4_000),
    openedAt: Date.parse(a.openedAt),
    updatedAt: Date.parse(a.updatedAt),
  };
}

/** Open alerts (the server filters by status), newest first as the API orders them. */
export function openAlerts(): AlertItem[] {
  const { nodes } = paginate<AlertNode>(requireConnection(), openAlertsQuery, 'alerts', { status: 'OPEN' });
  return nodes.map(toItem);
}

export function acknowledgeAlert(id: string, cause: string, note?: string): { id: string; status: string; cause: string | null } {
  if (typeof id !== 'string' || !id) throw new Error('Which alert? (no id given)');
  const c = parseCause(cause);
  const n = typeof note === 'string' && note.trim() ? note.trim().slice(0, 2000) : null;
  return gql<{ acknowledgeAlert: { id: string; status: string; cause: string | null } }>(requireConnection(), acknowledgeMutation, {
    id,
    cause: c,
    note: n,
  }).acknowledgeAlert;
}

export function resolveAlert(id: string): { id: string; status: string } {
  if (typeof id !== 'string' || !id) throw new Error('Which alert? (no id given)');
  return gql<{ resolveAlert: { id: string; status: string } }>(requireConnection(), resolveMutation, { id }).resolveAlert;
}

export const ALERTS_SHEET = 'RR Alerts';
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

export function alertSpec(): TableSpec<AlertNode> {
  return {
    sheetName: ALERTS_SHEET,
    key: (n) => n.id,
    keyOfRow: (r) => String(r[0] ?? ''),
    statusColumn: 14,
    columns: [
      { header: 'Alert id', value: (n) => n.id },
      { header: 'Level', value: (n) => n.level },
      { header: 'Status', value: (n) => n.status },
      { header: 'Kind', value: (n) => n.kind },
      { header: 'Subject type', value: (n) => n.subjectType },
      { header: 'Subject', value: (n) => n.subjectLabel ?? n.subjectId },
      { header: 'Title', value: (n) => n.title },
      { header: 'Message', value: (n) => n.message },
      { header: 'Opened at (UTC)', value: (n) => dateCell(n.openedAt), format: DATE_FORMAT },
      { header: 'Updated at (UTC)', value: (n) => dateCell(n.updatedAt), format: DATE_FORMAT },
      { header: 'Acknowledged at (UTC)', value: (n) => dateCell(n.acknowledgedAt), format: DATE_FORMAT },
      { header: 'Cause', value: (n) => n.cause },
      { header: 'Note', value: (n) => n.note },
      { header: 'Explanation', value: (n) => clip(n.explanation?.text) },
      { header: 'Pull status', value: () => STATUS_CURRENT },
    ],
  };
}

/** Every alert (open, acknowledged, resolved): the sheet is the planner's log. */
export function pullAlerts(): WriteResult {
  const { nodes } = paginate<AlertNode>(requireConnection(), openAlertsQuery, 'alerts');
  return writeTable(alertSpec(), nodes);
}
