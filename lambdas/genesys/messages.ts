import type { MessageInfo } from './models';

/**
 * Fills the `{name}` placeholders of a Genesys `messageWithParams` from `messageParams`; a placeholder without
 * a value stays as it is. The placeholder form is the one Genesys answers with, e.g.
 * `"messageWithParams":"Duplicate decision table rows found {duplicateRows}","messageParams":{"duplicateRows":"…"}`
 * (TF `genesyscloud/business_rules_decision_table` unit tests, quoting a real 409 body).
 */
export function fillMessageParams(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : placeholder,
  );
}

/**
 * The text of a Genesys `MessageInfo` `{localizableMessageCode, message, messageWithParams, messageParams}`,
 * e.g. `Integration.reportedState.detail` (SDK d.ts `IntegrationStatusInfo.detail: MessageInfo`,
 * genesys-cloud-api.md §14): `message`, else `messageWithParams` with its params filled in, else
 * `localizableMessageCode`. A plain string (some payloads and the simulator) is returned as it is.
 * Undefined when there is no text at all.
 */
export function messageInfoText(detail: MessageInfo | string | null | undefined): string | undefined {
  if (typeof detail === 'string') return detail.trim() === '' ? undefined : detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const message = text(detail.message);
  if (message) return message;
  const withParams = text(detail.messageWithParams);
  if (withParams) return fillMessageParams(withParams, stringParams(detail.messageParams));
  return text(detail.localizableMessageCode);
}

/** `messageParams` as sent, keeping only string values (the model's `{ [key]: string }`). */
export function stringParams(params: unknown): Record<string, string> {
  if (typeof params !== 'object' || params === null) return {};
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
