#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx restock-radar <command>` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
