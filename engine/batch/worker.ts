import { move, transferableSymbol, valueSymbol } from 'piscina';
import { runChunk, type ChunkTask } from './chunk.js';

/**
 * The Piscina worker: runs a chunk and hands its columns back without copying (the result declares its
 * buffers transferable and is marked movable: Piscina's protocol for objects holding several of them).
 */
export default function (task: ChunkTask) {
  const result = runChunk(task);
  return move({
    get [transferableSymbol]() {
      return [result.rows.buffer, result.series.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  } as never);
}
