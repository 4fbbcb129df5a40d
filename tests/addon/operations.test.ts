/** The add-on's GraphQL operations (schema/operations/*.graphql and the generated batch lookup) are valid against the committed schema. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type GraphQLEnumType, buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ALERT_CAUSES } from '../../addon/src/alertCauses';
import { DEALS_PAGE_QUERY, ETA_FRAGMENTS } from '../../addon/src/deals';
import { batchQuery } from '../../addon/src/live';
import { PLANS_PAGE_QUERY, planBatchQuery } from '../../addon/src/plan';

const dir = join(process.cwd(), 'schema', 'operations');
const schema = buildSchema(readFileSync(join(process.cwd(), 'schema', 'schema.graphql'), 'utf8'));
const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
const fragments = files.filter((f) => /^\s*(#.*\n\s*)*fragment\s/.test(readFileSync(join(dir, f), 'utf8')));

function withFragments(text: string): string {
  // An operation file may use fragments from sibling files, as the add-on's bundle does.
  const used = fragments
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .filter((t) => {
      const name = /fragment\s+(\w+)/.exec(t)![1];
      return text.includes(`...${name}`) && !text.includes(`fragment ${name}`);
    });
  return [text, ...used].join('\n');
}

describe('schema/operations', () => {
  it('has the operations the add-on sends', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'Ping.graphql',
        'CompetitorsPage.graphql',
        'CompetitorLookupFields.graphql',
        'CompetitorHistory.graphql',
        'OpenAlerts.graphql',
        'AcknowledgeAlert.graphql',
        'ResolveAlert.graphql',
        'ProductsPlanPage.graphql',
        'PlanProductFields.graphql',
        'DealsPage.graphql',
        'DealFields.graphql',
        'CompetitorEtaFields.graphql',
      ]),
    );
  });

  for (const f of files.filter((x) => !fragments.includes(x))) {
    it(`${f} validates against schema.graphql`, () => {
      const errors = validate(schema, parse(withFragments(readFileSync(join(dir, f), 'utf8'))));
      expect(errors.map((e) => e.message)).toEqual([]);
    });
  }

  it('the alert operations use the API’s enums, so a bad cause is refused before it is sent', () => {
    const ack = readFileSync(join(dir, 'AcknowledgeAlert.graphql'), 'utf8');
    expect(ack).toMatch(/\$cause: AlertCause!/);
    const cause = schema.getType('AlertCause') as GraphQLEnumType;
    expect(
      cause
        .getValues()
        .map((v) => v.name)
        .sort(),
    ).toEqual(ALERT_CAUSES.map((c) => c.value).sort());
  });

  it('the generated plan lookup validates for 1 and 1,000 SKUs, and the page query with its fragment', () => {
    for (const n of [1, 1000]) {
      const errors = validate(schema, parse(planBatchQuery(n)));
      expect(errors.map((e) => e.message)).toEqual([]);
    }
    expect(validate(schema, parse(PLANS_PAGE_QUERY)).map((e) => e.message)).toEqual([]);
  });

  it('the live SELLOUT_ETA batch (with the deal fragment it spreads) and the deals page validate', () => {
    for (const n of [1, 1000]) expect(validate(schema, parse(batchQuery(n, ETA_FRAGMENTS))).map((e) => e.message)).toEqual([]);
    expect(validate(schema, parse(DEALS_PAGE_QUERY)).map((e) => e.message)).toEqual([]);
  });

  it('the generated batch lookup validates for 1 and 1,000 listings', () => {
    for (const n of [1, 1000]) {
      const errors = validate(schema, parse(batchQuery(n)));
      expect(errors.map((e) => e.message)).toEqual([]);
    }
  });

  it('paginated operations ask for first/after and the Relay page info', () => {
    for (const f of [
      'CompetitorsPage.graphql',
      'CompetitorPicker.graphql',
      'CompetitorHistory.graphql',
      'OpenAlerts.graphql',
      'ProductsPlanPage.graphql',
      'DealsPage.graphql',
    ]) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text).toMatch(/\$first: Int!/);
      expect(text).toMatch(/\$after: String/);
      expect(text).toMatch(/pageInfo\s*\{\s*hasNextPage\s+endCursor/);
    }
  });
});
