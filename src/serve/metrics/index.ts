export { renderMetrics, type MetricsBlock } from './renderMetrics.js';
export { SaMetrics, type RenderStats, type SaMetricsOptions } from './saMetrics.js';
