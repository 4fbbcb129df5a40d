// Worker-thread entry of the pool (server/workers/pool.ts). Plain JavaScript on purpose: a worker
// thread starts as a bare Node isolate, whatever loaded the parent (`node --import tsx`, vitest's
// own transform, a bench), so this file registers tsx for itself (scoped to this import, so an
// inherited `--import tsx` does not transform twice) and then loads the TypeScript worker loop.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker-loop.ts', import.meta.url);
