import { ONBOARDINGS } from '../../../../lambdas/api/onboardings';
import { FLEET_ERRORS } from '../../../../lambdas/shared/fleet-errors';
import { parseOnboardingRequest } from '../../../../lambdas/shared/request';
import {
  CSV_COLUMNS,
  JSON_ARRAY_PROBLEM,
  MANIFEST_LIMITS,
  manifestFormat,
  parseCsv,
  parseManifest,
} from '../../../../lambdas/workflows/bulk/manifest';
import { sampleRequest } from '../../../support/requests';

const PREFIX = 'genesys-onboarding';
const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';
const jsonl = (text: string) => parseManifest(text, { format: 'jsonl', secretPrefix: PREFIX });
const csv = (text: string) => parseManifest(text, { format: 'csv', secretPrefix: PREFIX });

describe('manifestFormat', () => {
  it.each([
    ['orgs.csv', 'orgId,region', 'csv'],
    ['orgs.CSV', '{}', 'csv'],
    ['orgs.jsonl', 'orgId', 'jsonl'],
    ['orgs.ndjson', '', 'jsonl'],
    ['orgs.json', '', 'jsonl'],
    ['manifest', '  {"orgId":1}', 'jsonl'],
    ['manifest', 'orgId,region', 'csv'],
    ['manifest', '\uFEFF{"orgId":1}', 'jsonl'],
    ['manifest', '\n [{"orgId":1}]', 'jsonl'],
  ])('%s starting %j is %s', (name, text, format) => {
    expect(manifestFormat(name, text)).toBe(format);
  });
});

describe('parseManifest (JSON Lines)', () => {
  it('validates each line as the API does and names it as the API does; blank lines are not counted', () => {
    const text = [
      JSON.stringify(sampleRequest(ORG_A)),
      '',
      '   ',
      JSON.stringify(sampleRequest(ORG_B)),
      '',
    ].join('\n');
    const manifest = jsonl(text);
    const request = parseOnboardingRequest(sampleRequest(ORG_A), { secretPrefix: PREFIX });
    expect(manifest).toMatchObject({ format: 'jsonl', total: 2, rejected: 0, invalidLines: [] });
    expect(manifest.items).toEqual([
      { line: 1, orgId: ORG_A, executionName: ONBOARDINGS.executionName(request), request },
      expect.objectContaining({ line: 4, orgId: ORG_B }),
    ]);
  });

  it('reports every problem of an invalid line with its field, and starts nothing for it', () => {
    const text = [
      JSON.stringify(sampleRequest(ORG_A)),
      JSON.stringify({
        ...sampleRequest(ORG_B),
        region: 'nowhere land',
        oauthClient: { name: 'x', roles: [] },
      }),
      'not json',
      '[1,2]',
      JSON.stringify({ ...sampleRequest(ORG_B), colour: 'blue' }),
    ].join('\r\n');
    const manifest = jsonl(text);
    expect(manifest.items.map((item) => item.line)).toEqual([1]);
    expect(manifest.total).toBe(5);
    expect(manifest.rejected).toBe(4);
    expect(manifest.invalidLines).toEqual([
      { line: 2, field: 'region', problem: expect.stringContaining('must be a Genesys Cloud region') },
      { line: 2, field: 'oauthClient.roles', problem: 'must name at least one role' },
      { line: 3, field: 'line', problem: 'is not valid JSON: each line must be one JSON object' },
      { line: 4, field: 'line', problem: 'must be a JSON object' },
      { line: 5, field: 'colour', problem: 'is not a known field' },
    ]);
  });

  it("refuses another org's bootstrap secret: each org uses its own", () => {
    const text = JSON.stringify(
      sampleRequest(ORG_A, { bootstrapSecretId: `${PREFIX}/${ORG_B}/bootstrap` } as never),
    );
    expect(jsonl(text).invalidLines).toEqual([
      { line: 1, field: 'bootstrapSecretId', problem: expect.stringContaining(`${PREFIX}/${ORG_A}/<name>`) },
    ]);
  });

  it('takes one line per org: a later line for the same org (in any case) starts nothing', () => {
    const text = [
      JSON.stringify(sampleRequest(ORG_A)),
      JSON.stringify(sampleRequest(ORG_A.toUpperCase(), { integration: { name: 'Other' } })),
    ].join('\n');
    const manifest = jsonl(text);
    expect(manifest.items).toHaveLength(1);
    expect(manifest.invalidLines).toEqual([
      { line: 2, field: 'orgId', problem: 'names the org of line 1 again: one line per org' },
    ]);
  });

  it('ignores a UTF-8 byte order mark at the start, with CRLF line ends', () => {
    const text = `\uFEFF${JSON.stringify(sampleRequest(ORG_A))}\r\n${JSON.stringify(sampleRequest(ORG_B))}\r\n`;
    const manifest = jsonl(text);
    expect(manifest.invalidLines).toEqual([]);
    expect(manifest.items.map((item) => [item.line, item.orgId])).toEqual([
      [1, ORG_A],
      [2, ORG_B],
    ]);
  });

  it('refuses a JSON array as a whole, saying a manifest is JSON Lines or CSV', () => {
    const requests = [sampleRequest(ORG_A), sampleRequest(ORG_B)];
    for (const [text, line] of [
      [JSON.stringify(requests), 1],
      [`\uFEFF\n${JSON.stringify(requests, null, 2)}\n`, 2],
    ] as const) {
      const manifest = jsonl(text);
      expect(manifest).toMatchObject({ total: 1, rejected: 1, items: [] });
      expect(manifest.invalidLines).toEqual([{ line, field: 'line', problem: JSON_ARRAY_PROBLEM }]);
    }
    expect(JSON_ARRAY_PROBLEM).toContain('JSON Lines (one JSON object per line');
  });

  it('refuses a manifest beyond its limits as a whole', () => {
    const many = Array.from({ length: MANIFEST_LIMITS.maxLines + 1 }, () => '{}').join('\n');
    expect(() => jsonl(many)).toThrow(expect.objectContaining({ name: FLEET_ERRORS.manifestTooLarge }));
    const huge = 'x'.repeat(MANIFEST_LIMITS.maxBytes + 1);
    expect(() => jsonl(huge)).toThrow(expect.objectContaining({ name: FLEET_ERRORS.manifestTooLarge }));
  });
});

describe('parseManifest (CSV)', () => {
  const header = 'orgId,region,oauthClient.name,oauthClient.roles,integration.name';

  it('reads the same fields as columns: roles split on ";", numbers and booleans converted, empty cells absent', () => {
    const text = [
      `${header},oauthClient.accessTokenValiditySeconds,adoptExisting,integration.notes`,
      `${ORG_A},eu-west-1,acme-da,"Data Actions Runtime; Supervisor",Acme DA,3600,TRUE,"Notes, with a comma and ""quotes""\nand a line break"`,
      `${ORG_B},eu-west-1,acme-da,Data Actions Runtime,Acme DA,,,`,
    ].join('\n');
    const manifest = csv(text);
    expect(manifest.invalidLines).toEqual([]);
    expect(manifest.items.map((item) => item.line)).toEqual([2, 4]);
    expect(manifest.items[0]?.request).toMatchObject({
      orgId: ORG_A,
      oauthClient: {
        name: 'acme-da',
        roles: ['Data Actions Runtime', 'Supervisor'],
        accessTokenValiditySeconds: 3600,
      },
      integration: { name: 'Acme DA', notes: 'Notes, with a comma and "quotes"\nand a line break' },
      adoptExisting: true,
    });
    expect(manifest.items[1]?.request).toMatchObject({
      oauthClient: { accessTokenValiditySeconds: 86400 },
      integration: { notes: '' },
      adoptExisting: false,
    });
  });

  it('names unknown columns on line 1, rows with the wrong number of cells, and field problems by column', () => {
    const text = [
      `${header},colour`,
      `${ORG_A},eu-west-1,acme-da,Data Actions Runtime,Acme DA,blue`,
      `${ORG_B},eu-west-1,acme-da`,
      `not-an-org,eu-west-1,acme-da,,Acme DA,blue`,
      `${ORG_B},eu-west-1,acme-da,Supervisor,Acme DA,maybe`,
    ].join('\n');
    const manifest = csv(text);
    expect(manifest.total).toBe(4);
    expect(manifest.items.map((item) => item.line)).toEqual([2, 5]);
    expect(manifest.invalidLines).toEqual([
      { line: 1, field: 'colour', problem: `is not a known column: use ${CSV_COLUMNS.join(', ')}` },
      { line: 3, field: 'line', problem: 'has 3 cells but the header has 6 columns' },
      { line: 4, field: 'orgId', problem: 'must be a Genesys Cloud organization id (a UUID)' },
      { line: 4, field: 'oauthClient.roles', problem: 'is required' },
    ]);
  });

  it('ignores a UTF-8 byte order mark before the header, even before a quoted column name', () => {
    const text = `\uFEFF"orgId",region,oauthClient.name,oauthClient.roles,integration.name\r\n${ORG_A},eu-west-1,acme-da,Supervisor,Acme DA\r\n`;
    const manifest = csv(text);
    expect(manifest.invalidLines).toEqual([]);
    expect(manifest.items.map((item) => [item.line, item.orgId])).toEqual([[2, ORG_A]]);
  });

  it('refuses a text value where a number or true/false is asked, naming the column', () => {
    const text = [
      `${header},oauthClient.accessTokenValiditySeconds,renameIntegration`,
      `${ORG_A},eu-west-1,acme-da,Supervisor,Acme DA,an hour,yes`,
    ].join('\n');
    expect(csv(text).invalidLines).toEqual([
      { line: 2, field: 'oauthClient.accessTokenValiditySeconds', problem: 'must be a number' },
      { line: 2, field: 'renameIntegration', problem: 'must be true or false' },
    ]);
  });
});

describe('parseCsv', () => {
  it('keeps the line each record starts on, across quoted line breaks and CRLF', () => {
    expect(parseCsv('a,b\r\n"x\ny",z\r\n\r\nlast,"q""uote"')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x\ny', 'z'] },
      { line: 4, cells: [''] },
      { line: 5, cells: ['last', 'q"uote'] },
    ]);
  });

  it('reports a quote that is never closed', () => {
    expect(parseCsv('a,b\n"open,c\nd')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, problem: 'opens a quoted cell that is never closed' },
    ]);
  });
});
