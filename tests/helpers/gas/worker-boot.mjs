// Entry of the emulator's worker thread: registers tsx so the TypeScript emulator loads, then starts it.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
