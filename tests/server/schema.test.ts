import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { printAppSchema } from '../../server/graphql/schema';

it('schema/schema.graphql matches the schema the code emits (run npm run schema:emit)', async () => {
  expect(readFileSync('schema/schema.graphql', 'utf8')).toBe(await printAppSchema());
});
