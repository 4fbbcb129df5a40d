// Decorator metadata for type-graphql and TypeORM must be loaded before any entity module.
import 'reflect-metadata';
