// worker entry, see src/node/workers.ts
