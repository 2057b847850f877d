/**
 * Reports: the pipeline's results as one JSON document, a terminal summary
 * and a self-contained HTML page with inline SVG charts. Pure functions
 * (data in, string out) that run in Node and in browsers.
 *
 * @example
 * const report = buildReport({ summaries, history, findings });
 * const text = renderText(report);
 * const html = renderHtml(report, { units: 'mi' });
 * const json = renderJson(report);
 */
export * from './model.js';
export * from './format.js';
export * from './overview.js';
export { renderText, type TextReportOptions } from './text.js';
export { renderHtml, type HtmlReportOptions } from './html.js';
export { renderJson, REPORT_JSON_SCHEMA } from './schema.js';
export { cadenceHistogramOf, mergeCadenceHistograms, elevationProfileOf, type ElevationProfileOptions } from './extras.js';
export { targetBandAt, CADENCE_SD_SPM, type CadenceBand } from './charts.js';
export { escapeHtml } from './svg.js';
