/** The server's AlertCause values with the labels the sidebar's picker shows (shared by both sides). */
export const ALERT_CAUSES = [
  { value: 'MARKETING', label: 'Marketing / promotion' },
  { value: 'COMPETITOR_EVENT', label: 'Competitor event' },
  { value: 'SUPPLY_DELAY', label: 'Supply delay' },
  { value: 'DATA_ERROR', label: 'Data error (widens this subject’s band)' },
  { value: 'OTHER', label: 'Other' },
] as const;
export type AlertCause = (typeof ALERT_CAUSES)[number]['value'];
