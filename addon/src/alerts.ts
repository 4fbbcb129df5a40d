/** Alerts for the sidebar (open ones, acknowledge with a cause) and the "Pull alerts" sheet. */
import { gql, paginate } from './api';
import { dateCell } from './format';
import { requireConnection } from './settings';
import { STATUS_CURRENT, type TableSpec, type WriteResult, writeTable } from './table';
import openAlertsQuery from '../../schema/operations/OpenAlerts.graphql?raw';
import acknowledgeMutation from '../../schema/operations/AcknowledgeAlert.graphql?raw';

export interface AlertNode {
  id: string;
  level: string;
  status: string;
  title: string;
  message: string | null;
  createdAt: string;
}

export interface AlertItem {
  id: string;
  level: string;
  title: string;
  detail: string;
  createdAt: number;
}

const CLOSED = new Set(['ACKNOWLEDGED', 'RESOLVED', 'CLOSED']);

export function openAlerts(): AlertItem[] {
  const { nodes } = paginate<AlertNode>(requireConnection(), openAlertsQuery, 'alerts');
  return nodes
    .filter((a) => !CLOSED.has(a.status))
    .map((a) => ({ id: a.id, level: a.level, title: a.title, detail: a.message ?? '', createdAt: Date.parse(a.createdAt) }));
}

export function acknowledgeAlert(id: string, cause: string): { id: string; status: string } {
  if (typeof id !== 'string' || !id) throw new Error('Which alert? (no id given)');
  return gql<{ acknowledgeAlert: { id: string; status: string } }>(requireConnection(), acknowledgeMutation, { id, cause: cause || null })
    .acknowledgeAlert;
}

export const ALERTS_SHEET = 'RR Alerts';

export function alertSpec(): TableSpec<AlertNode> {
  return {
    sheetName: ALERTS_SHEET,
    key: (n) => n.id,
    keyOfRow: (r) => String(r[0] ?? ''),
    statusColumn: 6,
    columns: [
      { header: 'Alert id', value: (n) => n.id },
      { header: 'Level', value: (n) => n.level },
      { header: 'Status', value: (n) => n.status },
      { header: 'Title', value: (n) => n.title },
      { header: 'Message', value: (n) => n.message },
      { header: 'Raised at (UTC)', value: (n) => dateCell(n.createdAt), format: 'yyyy-mm-dd hh:mm' },
      { header: 'Pull status', value: () => STATUS_CURRENT },
    ],
  };
}

export function pullAlerts(): WriteResult {
  const { nodes } = paginate<AlertNode>(requireConnection(), openAlertsQuery, 'alerts');
  return writeTable(alertSpec(), nodes);
}
