export { simulate, type Simulation, type SimulationOptions, type TruthHeader } from './simulate.js';
export { SCENARIOS, SCENARIO_SPECS, parseScenarios, type ScenarioName } from './scenarios.js';
export { parseDestination, DestinationError, type Destination } from './destination.js';
export { openWriter, type LineWriter } from './writers.js';
export { compareLifecycle, type Comparison } from './compare.js';
export { runSimulation, type RunOptions } from './run.js';
