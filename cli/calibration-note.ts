/** Twins a calibration fitted on another twin was applied to, each said once (a sweep builds a twin per value). */
const said = new Set<string>();

/**
 * Says on stderr, once per file and twin, that a calibration fitted on `fittedTwin` is applied to `twin`: it may
 * be meant (a national fit taken to one trust), so it is applied, not refused. Loading says it
 * (cli/inputs.ts), and so does a compiled-model cache hit, which loads nothing (cli/model-cache.ts).
 */
export function noteTransferredCalibration(file: string, fittedTwin: unknown, twin: string): void {
  const key = `${file}\0${twin}`;
  if (typeof fittedTwin !== 'string' || fittedTwin === twin || said.has(key)) return;
  said.add(key);
  process.stderr.write(`strata: ${file} was fitted on twin ${fittedTwin}; its parameters are applied to twin ${twin}\n`);
}
