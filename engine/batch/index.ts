export { BatchRunner, runBatch, type BatchOptions, type BatchProgress, type BatchResult, type RunnerOptions } from './batch.js';
export { runChunk, type ChunkResult, type ChunkTask } from './chunk.js';
export { summarizeBatch, compareBatches, type BatchSummary } from './summarize.js';
export { traceRun, memberName, type TraceDocument } from './trace.js';
