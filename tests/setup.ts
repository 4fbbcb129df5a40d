// Decorator metadata for type-graphql and TypeORM must be loaded before any entity module.
import 'reflect-metadata';
import fc from 'fast-check';

// Property tests explore a fixed seed so that a run is reproducible (CI must not flake);
// FC_SEED=<n> explores another part of the input space locally.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });
