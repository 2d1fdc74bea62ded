import { ONBOARDINGS } from '../../api/onboardings';
import { FLEET_ERRORS, FleetError } from '../../shared/fleet-errors';
import { type OnboardingRequest, parseOnboardingRequest } from '../../shared/request';
import { InvalidRequestError } from '../../shared/request-fields';

/**
 * A bulk onboarding manifest: one onboarding request per line, as JSON Lines (each line the body of
 * `POST /onboardings`) or as CSV (a header row naming the same fields, dotted: `oauthClient.name`, roles
 * separated by `;`). Each line is validated with the API's own parser and named as the API names it, so a
 * manifest line, a request and an event for the same org start the same onboarding.
 */

export type ManifestFormat = 'jsonl' | 'csv';

/** How large a manifest may be: it is read whole by one function (512 MB) and each valid line becomes an item. */
export const MANIFEST_LIMITS = { maxBytes: 10 * 1024 * 1024, maxLines: 10_000 } as const;

/** One valid line: what the Distributed Map reads, one JSON line per org, and what a child execution starts. */
export interface ManifestItem {
  /** 1-based line number in the manifest (a CSV record that spans lines: the line it starts on). */
  readonly line: number;
  readonly orgId: string;
  /** The onboarding's execution name, as `POST /onboardings` derives it from the request (`ONBOARDINGS`). */
  readonly executionName: string;
  /** The validated request with its defaults: the child execution's input is `{request}`. */
  readonly request: OnboardingRequest;
}

/** One problem of a line that starts nothing: the line, the field (dotted, `line` for the whole line) and what is wrong. */
export interface InvalidLine {
  readonly line: number;
  readonly field: string;
  readonly problem: string;
}

export interface ParsedManifest {
  readonly format: ManifestFormat;
  /** Lines that hold a request (blank lines and the CSV header are not counted). */
  readonly total: number;
  readonly items: ManifestItem[];
  /** Every problem of every invalid line (a line may have several), in line order. */
  readonly invalidLines: InvalidLine[];
  /** Lines that start nothing (invalid): `total` = `items.length` + `rejected`. */
  readonly rejected: number;
}

/** The CSV columns: the request's fields, dotted. */
export const CSV_COLUMNS = [
  'orgId',
  'region',
  'oauthClient.name',
  'oauthClient.roles',
  'oauthClient.description',
  'oauthClient.divisionId',
  'oauthClient.accessTokenValiditySeconds',
  'integration.name',
  'integration.notes',
  'bootstrapSecretId',
  'idempotencyKey',
  'adoptExisting',
  'renameIntegration',
] as const;

/**
 * The format of a manifest: by its name's extension (`.csv`; `.jsonl`, `.ndjson`, `.json`), else by its first
 * character (`{`, or `[` of a JSON array that parseManifest then refuses by name; a UTF-8 BOM and blanks skipped).
 */
export function manifestFormat(name: string, text: string): ManifestFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (/\.(jsonl|ndjson|json)$/.test(lower)) return 'jsonl';
  return /^[{[]/.test(text.trimStart()) ? 'jsonl' : 'csv';
}

/** The byte order mark some editors (Excel, Notepad) write at the start of a UTF-8 file: not part of the text. */
const UTF8_BOM = '\uFEFF';

/** What a JSON-array manifest is told: the format it should have instead. */
export const JSON_ARRAY_PROBLEM =
  'is a JSON array: a manifest is JSON Lines (one JSON object per line, no enclosing [ ] or commas between lines) or CSV';

/**
 * Parses and validates every line of a manifest; a UTF-8 byte order mark at its start is ignored. A JSON
 * array (the whole text is one `[...]`) is not taken: it is one invalid line (where the `[` is) whose problem
 * (`JSON_ARRAY_PROBLEM`) says to write JSON Lines or CSV, so that a line number still names a manifest line.
 * A line is valid when the onboarding request parser takes it
 * (`parseOnboardingRequest`: each problem names its field) and no earlier line names the same org (one line
 * per org: two runs of one org at once would race). Throws FleetError `Bulk.ManifestTooLarge` beyond
 * `MANIFEST_LIMITS`.
 */
export function parseManifest(
  text: string,
  options: { readonly format: ManifestFormat; readonly secretPrefix: string },
): ParsedManifest {
  if (Buffer.byteLength(text) > MANIFEST_LIMITS.maxBytes) {
    throw new FleetError(
      FLEET_ERRORS.manifestTooLarge,
      `The manifest is larger than ${MANIFEST_LIMITS.maxBytes} bytes: split it`,
    );
  }
  const content = text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text;
  const records = options.format === 'csv' ? csvRequests(content) : jsonLines(content);
  if (records.rows.length > MANIFEST_LIMITS.maxLines) {
    throw new FleetError(
      FLEET_ERRORS.manifestTooLarge,
      `The manifest has ${records.rows.length} lines, more than ${MANIFEST_LIMITS.maxLines}: split it`,
    );
  }
  const items: ManifestItem[] = [];
  const invalidLines: InvalidLine[] = [...records.headerProblems];
  const firstLineOf = new Map<string, number>();
  let rejected = 0;
  for (const row of records.rows) {
    if ('problem' in row) {
      invalidLines.push({ line: row.line, field: 'line', problem: row.problem });
      rejected++;
      continue;
    }
    let request: OnboardingRequest;
    try {
      request = parseOnboardingRequest(row.input, { secretPrefix: options.secretPrefix });
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      for (const { field, problem } of error.problems) {
        invalidLines.push({ line: row.line, field: field === 'body' ? 'line' : field, problem });
      }
      rejected++;
      continue;
    }
    const first = firstLineOf.get(request.orgId);
    if (first !== undefined) {
      invalidLines.push({
        line: row.line,
        field: 'orgId',
        problem: `names the org of line ${first} again: one line per org`,
      });
      rejected++;
      continue;
    }
    firstLineOf.set(request.orgId, row.line);
    items.push({
      line: row.line,
      orgId: request.orgId,
      executionName: ONBOARDINGS.executionName(request),
      request,
    });
  }
  invalidLines.sort((a, b) => a.line - b.line);
  return { format: options.format, total: records.rows.length, items, invalidLines, rejected };
}

type Row = { line: number; input: unknown } | { line: number; problem: string };

function jsonLines(text: string): { rows: Row[]; headerProblems: InvalidLine[] } {
  if (isJsonArray(text)) {
    const line = text.slice(0, text.indexOf('[')).split('\n').length;
    return { rows: [{ line, problem: JSON_ARRAY_PROBLEM }], headerProblems: [] };
  }
  const rows: Row[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    if (content.trim() === '') return;
    const line = index + 1;
    try {
      rows.push({ line, input: JSON.parse(content) });
    } catch {
      rows.push({ line, problem: 'is not valid JSON: each line must be one JSON object' });
    }
  });
  return { rows, headerProblems: [] };
}

function isJsonArray(text: string): boolean {
  if (!text.trimStart().startsWith('[')) return false;
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/**
 * CSV rows as request objects: the header names the columns (`CSV_COLUMNS`); an empty cell is an absent
 * field; `oauthClient.roles` is split on `;` (role names cannot contain it); a whole number of seconds and
 * `true`/`false` become a number and booleans, anything else stays text for the parser to refuse by name.
 * An unknown column is a problem of the header (line 1) and is ignored in the rows.
 */
function csvRequests(text: string): { rows: Row[]; headerProblems: InvalidLine[] } {
  const records = parseCsv(text).filter((r) => 'problem' in r || r.cells.some((c) => c.trim() !== ''));
  const [header, ...body] = records;
  if (!header) return { rows: [], headerProblems: [] };
  if ('problem' in header) {
    return { rows: [], headerProblems: [{ line: header.line, field: 'header', problem: header.problem }] };
  }
  const columns = header.cells.map((cell) => cell.trim());
  const known = new Set<string>(CSV_COLUMNS);
  const headerProblems: InvalidLine[] = columns
    .filter((column) => !known.has(column))
    .map((column) => ({
      line: header.line,
      field: column === '' ? '""' : column,
      problem: `is not a known column: use ${CSV_COLUMNS.join(', ')}`,
    }));
  const rows = body.map((record): Row => {
    if ('problem' in record) return record;
    if (record.cells.length !== columns.length) {
      return {
        line: record.line,
        problem: `has ${record.cells.length} cells but the header has ${columns.length} columns`,
      };
    }
    const input: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const cell = record.cells[i] ?? '';
      if (!known.has(column) || cell === '') return;
      setPath(input, column, cellValue(column, cell));
    });
    return { line: record.line, input };
  });
  return { rows, headerProblems };
}

function cellValue(column: string, cell: string): unknown {
  if (column === 'oauthClient.roles') {
    return cell
      .split(';')
      .map((role) => role.trim())
      .filter((role) => role !== '');
  }
  if (column === 'oauthClient.accessTokenValiditySeconds' && /^\s*\d+\s*$/.test(cell)) return Number(cell);
  if (column === 'adoptExisting' || column === 'renameIntegration') {
    const flag = cell.trim().toLowerCase();
    if (flag === 'true') return true;
    if (flag === 'false') return false;
  }
  return cell;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const [head, tail] = dotted.split('.') as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  target[head] ??= {};
  (target[head] as Record<string, unknown>)[tail] = value;
}

type CsvRecord = { line: number; cells: string[] } | { line: number; problem: string };

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes may hold commas,
 * line breaks and `""` (a quote). Each record carries the line it starts on. A quote left open makes the rest
 * of the text one record with a problem.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    cells.push(cell);
    records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += char;
  }
  if (quoted) {
    records.push({ line: recordLine, problem: 'opens a quoted cell that is never closed' });
  } else if (cell !== '' || cells.length > 0) {
    endRecord();
  }
  return records;
}
