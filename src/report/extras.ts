/**
 * Chart data that needs the samples of an activity. The computation lives
 * in the analysis stage (`src/analysis/extras.ts`, where export workers run
 * it beside `summarizeActivity`); re-exported here, where the report's
 * public names have always been.
 */
export {
  cadenceHistogramOf,
  elevationProfileOf,
  mergeCadenceHistograms,
  type CadenceHistogramOptions,
  type ElevationProfileOptions,
} from '../analysis/extras.js';
